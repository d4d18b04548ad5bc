import { useState } from 'react';
import type { AuditEntryView } from '../../shared/installation.schema.ts';
import { useAudit, type AuditFilters } from './install-api.ts';
import './marketplace.css';

const PAGE = 100;

/** The action's tone: removals and discards stand out, approvals read as good news. */
function actionTone(action: string): 'good' | 'warn' | 'bad' | 'neutral' {
  if (/remove|discard|delete|disable/.test(action)) return 'bad';
  if (/approve|enable|install/.test(action)) return 'good';
  if (/update|config|workspace|default/.test(action)) return 'warn';
  return 'neutral';
}

/** One detail value as text: lists joined, checksums shortened (the full one is in the API). */
function valueText(value: unknown): string {
  if (Array.isArray(value)) return value.join(', ');
  if (typeof value === 'object') return JSON.stringify(value);
  const text = String(value);
  return /^(tree-)?sha256:[a-f0-9]{64}$/.test(text) ? `${text.slice(0, text.indexOf(':') + 13)}…` : text;
}

/** The details of an entry in one line: `key: value` pairs. */
function detailsText(details: unknown): string {
  if (details === null || details === undefined) return '';
  if (typeof details !== 'object') return String(details);
  return Object.entries(details as Record<string, unknown>)
    .filter(([, value]) => value !== null && value !== undefined && !(Array.isArray(value) && value.length === 0))
    .map(([key, value]) => `${key}: ${valueText(value)}`)
    .join(' · ');
}

function EntryRow({ entry }: { entry: AuditEntryView }) {
  const at = new Date(entry.at);
  return (
    <tr data-testid="audit-entry" data-action={entry.action}>
      <td className="wb-market-nowrap" title={entry.at}>
        {at.toLocaleDateString()} {at.toLocaleTimeString()}
      </td>
      <td>{entry.actorName ?? <span className="wb-muted">system</span>}</td>
      <td>
        <span className={`wb-badge wb-badge-${actionTone(entry.action)}`}>{entry.action}</span>
      </td>
      <td className="wb-market-nowrap">
        {entry.target ?? ''}
        {entry.workspace ? <span className="wb-muted"> in {entry.workspace}</span> : null}
      </td>
      <td className="wb-market-details">{detailsText(entry.details)}</td>
    </tr>
  );
}

/** Admin: every admin action, newest first, filtered by action and by the plugin (or user) acted on. */
export function AuditPage() {
  const [filters, setFilters] = useState<AuditFilters>({ action: '', target: '' });
  const [limit, setLimit] = useState(PAGE);
  const audit = useAudit(filters, limit);
  const data = audit.data;
  const filtered = filters.action !== '' || filters.target !== '';
  const change = (next: Partial<AuditFilters>) => {
    setFilters({ ...filters, ...next });
    setLimit(PAGE);
  };
  return (
    <div className="wb-page">
      <header className="wb-page-header">
        <h1>Audit log</h1>
        <p className="wb-muted">Every admin action on this server, newest first.</p>
      </header>
      <div className="wb-form-row">
        <label>
          Action
          <select value={filters.action} onChange={(e) => change({ action: e.target.value })}>
            <option value="">All actions</option>
            {(data?.actions ?? []).map((a) => (
              <option key={a} value={a}>
                {a}
              </option>
            ))}
          </select>
        </label>
        <label>
          Plugin or user
          <select value={filters.target} onChange={(e) => change({ target: e.target.value })}>
            <option value="">All</option>
            {(data?.targets ?? []).map((t) => (
              <option key={t} value={t}>
                {t}
              </option>
            ))}
          </select>
        </label>
        {filtered && (
          <button
            type="button"
            className="wb-link-button wb-market-clear"
            onClick={() => change({ action: '', target: '' })}
          >
            Clear filters
          </button>
        )}
      </div>
      {audit.isPending && <div className="wb-loading">Loading the audit log…</div>}
      {audit.isError && <div className="wb-plugin-error">Could not read the audit log: {audit.error.message}</div>}
      {data && data.entries.length === 0 && (
        <div className="wb-empty">{filtered ? 'No admin action matches these filters.' : 'No admin action yet.'}</div>
      )}
      {data && data.entries.length > 0 && (
        <table className="wb-table" data-testid="audit-log">
          <thead>
            <tr>
              <th>When</th>
              <th>Who</th>
              <th>Action</th>
              <th>Target</th>
              <th>Details</th>
            </tr>
          </thead>
          <tbody>
            {data.entries.map((entry) => (
              <EntryRow key={entry.id} entry={entry} />
            ))}
          </tbody>
        </table>
      )}
      {data?.hasMore && (
        <button type="button" className="wb-button" disabled={audit.isFetching} onClick={() => setLimit(limit + PAGE)}>
          {audit.isFetching ? 'Loading…' : 'Show older entries'}
        </button>
      )}
    </div>
  );
}
