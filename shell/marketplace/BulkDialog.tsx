import { useQueries } from '@tanstack/react-query';
import { useEffect, useRef } from 'react';
import { groupAccess, type AccessEntry } from '@dbt-workbench/plugin-sdk/contracts/access-request';
import type { PluginSummary } from '../../shared/api.schema.ts';
import { listDependants } from '../../shared/http/plugin-installation.ts';
import { callApi } from '../api/client.ts';
import { AccessList } from './AccessList.tsx';
import { installKeys } from './install-api.ts';
import { useBulkAction, type BulkOutcome } from './plugin-bulk.ts';

/** What a dialog was opened for: the plugins as they were when the admin opened it (later list refreshes aside). */
export interface BulkIntent {
  kind: 'approve' | 'disable';
  plugins: PluginSummary[];
}

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;
const titleOf = (p: PluginSummary) => p.displayName ?? p.name;

/** Every distinct item the plugins ask for, once, with the plugins asking for it. Pure. */
export function combinedAccess(plugins: readonly PluginSummary[]) {
  const byKey = new Map<string, AccessEntry & { askedBy: string[] }>();
  for (const plugin of plugins) {
    for (const entry of plugin.access) {
      const seen = byKey.get(entry.key);
      if (seen) {
        seen.askedBy.push(titleOf(plugin));
        seen.approved &&= entry.approved;
      } else byKey.set(entry.key, { ...entry, askedBy: [titleOf(plugin)] });
    }
  }
  return [...byKey.values()];
}

/** Everything the plugins to approve ask for, merged, then each plugin's own request folded below. */
function ApprovalContent({ plugins }: { plugins: PluginSummary[] }) {
  const combined = combinedAccess(plugins);
  return (
    <>
      <p>
        Approving grants everything listed here to exactly these versions, and nothing else:{' '}
        {plugins.map((p) => `${titleOf(p)} ${p.version}`).join(', ')}. A plugin whose version changes meanwhile is not
        approved.
      </p>
      {combined.length === 0 ? (
        <p className="wb-muted">They ask for nothing beyond the defaults.</p>
      ) : (
        <div className="wb-access" data-testid="combined-access">
          <h3 className="wb-bulk-subtitle">Together they ask for</h3>
          {groupAccess(combined).map((group) => (
            <div key={group.title} className="wb-access-group">
              <h4>{group.title}</h4>
              <ul>
                {group.entries.map((entry) => (
                  <li key={entry.key} data-access-key={entry.key}>
                    {entry.item.kind === 'capability' && <code>{entry.item.capability}</code>}
                    <span className="wb-access-words">{entry.description}</span>
                    <span className="wb-muted wb-bulk-askers"> · {entry.askedBy.join(', ')}</span>
                    {!entry.approved && <span className="wb-access-mark wb-access-mark-wait">needs approval</span>}
                  </li>
                ))}
              </ul>
            </div>
          ))}
        </div>
      )}
      <h3 className="wb-bulk-subtitle">Each plugin</h3>
      {plugins.map((p) => (
        <details key={p.name} className="wb-bulk-plugin">
          <summary>
            {titleOf(p)} {p.version}: asks for {plural(p.access.length, 'thing')},{' '}
            {p.access.filter((e) => !e.approved).length} waiting
          </summary>
          <AccessList entries={p.access} tone="approval" />
        </details>
      ))}
    </>
  );
}

/** The plugins outside the set that depend on one inside it: they go inactive until it is back. */
function DisableContent({ plugins }: { plugins: PluginSummary[] }) {
  const names = new Set(plugins.map((p) => p.name));
  const lists = useQueries({
    queries: plugins.map((p) => ({
      queryKey: [...installKeys.installations, 'dependants', p.name],
      queryFn: () => callApi(listDependants, { params: { name: p.name } }),
    })),
  });
  const affected = lists.flatMap((q) =>
    (q.data?.dependants ?? []).filter((d) => !names.has(d.name)).map((d) => ({ ...d, on: q.data!.name })),
  );
  return (
    <>
      <p>Their files, approvals and settings stay; enable them again at any time.</p>
      <ul className="wb-bulk-names">
        {plugins.map((p) => (
          <li key={p.name}>
            {titleOf(p)} <span className="wb-muted">{p.version}</span>
          </li>
        ))}
      </ul>
      {lists.some((q) => q.isPending) && <p className="wb-loading">Checking which plugins depend on them…</p>}
      {lists.some((q) => q.isError) && <p className="wb-form-error">Could not check which plugins depend on them.</p>}
      {affected.length > 0 && (
        <div data-testid="dependants">
          <p>
            <strong>{plural(affected.length, 'other plugin')} will go inactive</strong> until what they need is back:
          </p>
          <ul>
            {affected.map((d) => (
              <li key={`${d.name}:${d.on}`}>
                {d.name} <span className="wb-muted">(needs {d.on})</span>
              </li>
            ))}
          </ul>
        </div>
      )}
    </>
  );
}

function Outcomes({ outcomes, verb }: { outcomes: BulkOutcome[]; verb: string }) {
  const failed = outcomes.filter((o) => !o.ok);
  return (
    <div data-testid="bulk-outcome">
      <p>
        {verb} {plural(outcomes.length - failed.length, 'plugin')}.{failed.length > 0 && ` ${failed.length} failed:`}
      </p>
      {failed.length > 0 && (
        <ul className="wb-form-error">
          {failed.map((o) => (
            <li key={o.name}>
              {o.name}: {o.error?.message}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

/** A modal review of a bulk approve or disable: what it does, to exactly which plugins, before anything is sent. */
export function BulkDialog({ intent, onClose }: { intent: BulkIntent; onClose: () => void }) {
  const dialog = useRef<HTMLDialogElement>(null);
  const bulk = useBulkAction();
  useEffect(() => {
    const element = dialog.current;
    element?.showModal();
    return () => element?.close();
  }, []);
  const { kind, plugins } = intent;
  const approve = kind === 'approve';
  // Exactly the versions shown: the server refuses a plugin whose version changed since the dialog opened.
  const go = () => bulk.mutate({ action: kind, plugins: plugins.map((p) => ({ name: p.name, version: p.version })) });
  return (
    <dialog
      ref={dialog}
      className="wb-bulk-dialog"
      aria-labelledby="wb-bulk-title"
      data-testid="bulk-dialog"
      onClose={onClose}
    >
      <h2 id="wb-bulk-title">
        {approve
          ? `Approve ${plural(plugins.length, 'plugin')}`
          : `Disable ${plural(plugins.length, 'plugin')} everywhere?`}
      </h2>
      <div className="wb-bulk-body">
        {approve ? <ApprovalContent plugins={plugins} /> : <DisableContent plugins={plugins} />}
        {bulk.data && <Outcomes outcomes={bulk.data} verb={approve ? 'Approved' : 'Disabled'} />}
        {bulk.error && <p className="wb-form-error">{bulk.error.message}</p>}
      </div>
      <div className="wb-market-actions">
        {!bulk.data && (
          <button
            type="button"
            className={approve ? 'wb-button wb-button-primary' : 'wb-button wb-market-danger-button'}
            disabled={bulk.isPending}
            onClick={go}
          >
            {bulk.isPending
              ? 'Working…'
              : approve
                ? `Approve ${plugins.length === 1 ? 'this version' : `these ${plugins.length} versions`}`
                : `Disable ${plural(plugins.length, 'plugin')}`}
          </button>
        )}
        <button type="button" className="wb-button" onClick={() => dialog.current?.close()}>
          {bulk.data ? 'Close' : 'Cancel'}
        </button>
      </div>
    </dialog>
  );
}
