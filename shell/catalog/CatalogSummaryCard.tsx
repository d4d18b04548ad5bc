import { Link } from 'react-router';
import type { TestStatus } from '@dbt-workbench/plugin-sdk/contracts/catalog.schema';
import { useWorkspace, workspacePath } from '../workspaces/workspace-context.tsx';
import { useCatalogFreshness, useCatalogSummary } from './api.ts';
import { timeAgo } from './format.ts';
import './catalog.css';

const COUNTS: { key: string; label: string; to?: string }[] = [
  { key: 'model', label: 'Models', to: 'models' },
  { key: 'source', label: 'Sources', to: 'models?resourceType=source' },
  { key: 'seed', label: 'Seeds', to: 'models?resourceType=seed' },
  // Data tests and unit tests, as the status badges below count them.
  { key: 'test', label: 'Tests' },
];

const STATUSES: { key: Exclude<TestStatus, 'not-run' | 'skipped'>; tone: string }[] = [
  { key: 'pass', tone: 'wb-badge-good' },
  { key: 'fail', tone: 'wb-badge-bad' },
  { key: 'warn', tone: 'wb-badge-warn' },
  { key: 'error', tone: 'wb-badge-bad' },
];

/** Dashboard card: how many models, sources, seeds and tests the project has, and how the tests last ended. */
export function CatalogSummaryCard() {
  const workspace = useWorkspace();
  const status = useCatalogFreshness(workspace.name);
  const summary = useCatalogSummary(workspace.name);
  const data = summary.data;
  return (
    <section className="wb-card wb-cat-summary" data-testid="catalog-summary">
      <h2 className="wb-card-title">Catalog</h2>
      {summary.isPending && <div className="wb-loading">Loading the catalog…</div>}
      {summary.isError && (
        <div className="wb-plugin-error" role="alert">
          Could not load the catalog summary: {summary.error.message}
        </div>
      )}
      {data && data.loadedAt === null && (
        <p className="wb-muted">{status?.message ?? 'No dbt artifacts have been loaded for this workspace yet.'}</p>
      )}
      {data && data.loadedAt !== null && (
        <>
          <div className="wb-cat-counts">
            {COUNTS.map((c) => {
              const body = (
                <>
                  <strong data-testid={`count-${c.key}`}>
                    {c.key === 'test' ? data.tests.total : (data.counts[c.key] ?? 0)}
                  </strong>
                  <span>{c.label}</span>
                </>
              );
              return c.to ? (
                <Link key={c.key} to={workspacePath(workspace.name, c.to)} className="wb-cat-count-tile">
                  {body}
                </Link>
              ) : (
                <div key={c.key} className="wb-cat-count-tile">
                  {body}
                </div>
              );
            })}
          </div>
          <div className="wb-cat-test-status" aria-label="Tests by last status">
            {STATUSES.map((s) => (
              <span
                key={s.key}
                className={`wb-badge ${data.tests[s.key] > 0 ? s.tone : 'wb-badge-neutral'}`}
                data-status={s.key}
              >
                {data.tests[s.key]} {s.key}
              </span>
            ))}
            {data.tests.notRun > 0 && <span className="wb-badge wb-badge-neutral">{data.tests.notRun} not run</span>}
          </div>
          <p className="wb-card-source">
            {data.lastRunAt ? `Last dbt run ${timeAgo(data.lastRunAt)}` : 'No run results yet'}
            {data.errors.length > 0 && (
              <span className="wb-cat-warn-text"> · {data.errors.map((e) => e.file).join(', ')} could not be read</span>
            )}
          </p>
        </>
      )}
    </section>
  );
}
