import { Link } from 'react-router';
import { useWorkspace, workspacePath } from '../workspaces/workspace-context.tsx';
import { formatDateTime, relativeTime } from './format.ts';
import { triggerLabel } from './labels.ts';
import { useRuns } from './queries.ts';
import { RunStatusBadge } from './RunStatusBadge.tsx';
import './runs.css';

/** Dashboard card: the workspace's last five runs with their status, linking to each. */
export function RecentRunsCard() {
  const workspace = useWorkspace();
  const runs = useRuns(workspace.name, 5);
  return (
    <section className="wb-card" data-testid="recent-runs">
      <h2 className="wb-card-title">Recent runs</h2>
      {runs.isPending && <div className="wb-loading">Loading runs…</div>}
      {runs.isError && <div className="wb-plugin-error">Could not load runs: {runs.error.message}</div>}
      {runs.data?.runs.length === 0 && <p className="wb-muted wb-recent-empty">No runs yet.</p>}
      {runs.data && runs.data.runs.length > 0 && (
        <ul className="wb-recent-runs">
          {runs.data.runs.map((run) => (
            <li key={run.id}>
              <RunStatusBadge status={run.status} />
              <Link to={workspacePath(workspace.name, `runs/${run.id}`)}>{triggerLabel(run)}</Link>
              <span className="wb-muted" title={formatDateTime(run.createdAt)}>
                {relativeTime(run.startedAt ?? run.createdAt)}
              </span>
            </li>
          ))}
        </ul>
      )}
      <p className="wb-card-source">
        <Link to={workspacePath(workspace.name, 'runs')}>All runs</Link>
      </p>
    </section>
  );
}
