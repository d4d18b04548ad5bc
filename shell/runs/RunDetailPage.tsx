import { Link, useParams } from 'react-router';
import { isActiveRun, type Run } from '@dbt-workbench/plugin-sdk/contracts/runs.schema';
import { roleAllows } from '@dbt-workbench/plugin-sdk/contracts/roles';
import { ExtensionSlot } from '../extensions/slots.tsx';
import { useWorkspace, workspacePath } from '../workspaces/workspace-context.tsx';
import { formatDateTime, runDuration } from './format.ts';
import { shortId, triggerLabel, whoLabel } from './labels.ts';
import { LogViewer } from './LogViewer.tsx';
import { useCancelRun, useRun } from './queries.ts';
import { RunStatusBadge } from './RunStatusBadge.tsx';
import './runs.css';

function CancelButton({ run }: { run: Run }) {
  const workspace = useWorkspace();
  const cancel = useCancelRun(workspace.name, run.id);
  if (!roleAllows(workspace.role, 'developer') || !isActiveRun(run.status)) return null;
  return (
    <div className="wb-runs-actions">
      <button type="button" className="wb-button" disabled={cancel.isPending} onClick={() => cancel.mutate()}>
        {cancel.isPending ? 'Cancelling…' : 'Cancel run'}
      </button>
      {cancel.isError && (
        <p className="wb-form-error" role="alert">
          {cancel.error.message}
        </p>
      )}
    </div>
  );
}

const time = (iso: string | null) => (iso ? formatDateTime(iso) : '—');

function RunFacts({ run }: { run: Run }) {
  return (
    <section className="wb-card">
      <h2 className="wb-card-title">Details</h2>
      <dl className="wb-facts" data-testid="run-facts">
        <dt>Status</dt>
        <dd>
          <RunStatusBadge status={run.status} />
        </dd>
        <dt>Command</dt>
        <dd>
          <code>{run.command.join(' ')}</code>
        </dd>
        <dt>Trigger</dt>
        <dd>
          {triggerLabel(run)} · {whoLabel(run)}
        </dd>
        <dt>Queued</dt>
        <dd>{time(run.createdAt)}</dd>
        <dt>Started</dt>
        <dd>{time(run.startedAt)}</dd>
        <dt>Finished</dt>
        <dd>{time(run.finishedAt)}</dd>
        <dt>Duration</dt>
        <dd>{runDuration(run) || '—'}</dd>
        <dt>Exit code</dt>
        <dd data-testid="run-exit-code">{run.exitCode ?? '—'}</dd>
      </dl>
    </section>
  );
}

/** One run: status, command, timings, exit code, error, and the live log. */
export function RunDetailPage() {
  const workspace = useWorkspace();
  const id = useParams().id ?? '';
  const run = useRun(workspace.name, id);
  const back = (
    <Link to={workspacePath(workspace.name, 'runs')} className="wb-back-link">
      ← All runs
    </Link>
  );
  if (run.isPending) return <div className="wb-loading wb-page-loading">Loading run…</div>;
  if (run.isError) {
    return (
      <div className="wb-page">
        {back}
        <div className="wb-plugin-error">
          Could not load run {shortId(id)}: {run.error.message}
        </div>
      </div>
    );
  }
  const r = run.data;
  return (
    <div className="wb-page">
      {back}
      <header className="wb-page-header wb-runs-header">
        <div>
          <h1>
            Run <span className="wb-run-id">{shortId(r.id)}</span> <RunStatusBadge status={r.status} />
          </h1>
          <p className="wb-muted">
            {r.status === 'queued' ? 'Waiting for the run before it to end.' : `Started ${time(r.startedAt)}`}
          </p>
        </div>
        <CancelButton run={r} />
      </header>
      {r.error && (
        <div className={r.status === 'cancelled' ? 'wb-run-note' : 'wb-plugin-error'} data-testid="run-error">
          {r.error}
        </div>
      )}
      <RunFacts run={r} />
      <div className="wb-grid">
        <ExtensionSlot
          slot="page.widget"
          filter={(e) => e.page === 'run.detail'}
          slotProps={{ page: 'run.detail', run: r }}
        />
      </div>
      <LogViewer workspace={workspace.name} runId={r.id} />
    </div>
  );
}
