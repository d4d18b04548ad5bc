import { Link, useNavigate } from 'react-router';
import { roleAllows } from '@dbt-workbench/plugin-sdk/contracts/roles';
import { useWorkspace, workspacePath } from '../workspaces/workspace-context.tsx';
import { formatDateTime, relativeTime, runDuration } from './format.ts';
import { shortId, triggerLabel, whoLabel } from './labels.ts';
import { useRuns, useStartRun } from './queries.ts';
import { RunStatusBadge } from './RunStatusBadge.tsx';
import './runs.css';

/** Starts a run and opens it. Developers and admins only. */
function RunNowButton() {
  const workspace = useWorkspace();
  const navigate = useNavigate();
  const start = useStartRun(workspace.name);
  if (!roleAllows(workspace.role, 'developer')) return null;
  return (
    <div className="wb-runs-actions">
      <button
        type="button"
        className="wb-button wb-button-primary"
        disabled={start.isPending}
        onClick={() =>
          start.mutate(undefined, { onSuccess: (run) => navigate(workspacePath(workspace.name, `runs/${run.id}`)) })
        }
      >
        {start.isPending ? 'Starting…' : 'Run now'}
      </button>
      {start.isError && (
        <p className="wb-form-error" role="alert">
          Could not start a run: {start.error.message}
        </p>
      )}
    </div>
  );
}

/** Run history of a workspace: newest first, live while a run is active. */
export function RunsPage() {
  const workspace = useWorkspace();
  const runs = useRuns(workspace.name);
  return (
    <div className="wb-page">
      <header className="wb-page-header wb-runs-header">
        <div>
          <h1>Runs</h1>
          <p className="wb-muted">Every execution of this workspace’s dbt command, manual or scheduled.</p>
        </div>
        <RunNowButton />
      </header>
      {runs.isPending && <div className="wb-loading">Loading runs…</div>}
      {runs.isError && <div className="wb-plugin-error">Could not load the runs: {runs.error.message}</div>}
      {runs.data && runs.data.runs.length === 0 && (
        <div className="wb-empty" data-testid="runs-empty">
          <h2>No runs yet</h2>
          <p className="wb-muted">
            {roleAllows(workspace.role, 'developer')
              ? 'Press “Run now” to build the project, or add a schedule.'
              : 'Runs appear here when a developer starts one or a schedule fires.'}
          </p>
        </div>
      )}
      {runs.data && runs.data.runs.length > 0 && (
        <table className="wb-table" data-testid="runs-table">
          <thead>
            <tr>
              <th>Run</th>
              <th>Status</th>
              <th>Trigger</th>
              <th>Who</th>
              <th>Started</th>
              <th>Duration</th>
            </tr>
          </thead>
          <tbody>
            {runs.data.runs.map((run) => (
              <tr key={run.id}>
                <td>
                  <Link to={workspacePath(workspace.name, `runs/${run.id}`)} className="wb-run-link">
                    {shortId(run.id)}
                  </Link>
                </td>
                <td>
                  <RunStatusBadge status={run.status} />
                </td>
                <td>{triggerLabel(run)}</td>
                <td>{whoLabel(run)}</td>
                <td title={formatDateTime(run.startedAt ?? run.createdAt)}>
                  {run.startedAt ? relativeTime(run.startedAt) : <span className="wb-muted">not started</span>}
                </td>
                <td className="wb-run-number">{runDuration(run)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}
