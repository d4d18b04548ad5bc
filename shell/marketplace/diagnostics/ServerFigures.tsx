import type { ClusterFigures, ServerFigures } from '../../../shared/plugin-diagnostics.schema.ts';
import { formatMs, formatSpan } from '../../../shared/plugin-health.ts';

/** How long ago an ISO time was, in words: "4 s ago". */
function ago(iso: string, now: number): string {
  return `${formatSpan(Math.max(0, now - Date.parse(iso)))} ago`;
}

function FigureCells({ figures }: { figures: ServerFigures }) {
  return (
    <>
      <td>{figures.calls}</td>
      <td>{figures.errors}</td>
      <td>{figures.p95Ms === null ? '—' : formatMs(figures.p95Ms)}</td>
      <td>{figures.restarts}</td>
      <td>{figures.memoryMb === null ? '—' : `${figures.memoryMb} MB`}</td>
      <td>
        {figures.frontendLoads}
        {figures.frontendErrors > 0 ? ` (${figures.frontendErrors} failed)` : ''}
      </td>
    </>
  );
}

/**
 * Every server on the database with its figures of the plugin over the kept history, and the total, which is
 * what budgets judge. Each server runs its own backend: the Backend section below is the answering server's.
 */
export function ServerFiguresTable({ cluster }: { cluster: ClusterFigures }) {
  const now = Date.now();
  return (
    <>
      <p className="wb-muted">
        Over the last {formatSpan(cluster.spanMs)}, from every server on the database. Budgets judge the total.
      </p>
      <table className="wb-table wb-server-figures" aria-label="Servers" data-testid="server-figures">
        <thead>
          <tr>
            <th>Server</th>
            <th>Last heartbeat</th>
            <th>Calls</th>
            <th>Errors</th>
            <th title="The highest p95 of any interval">p95</th>
            <th>Restarts</th>
            <th title="Backend memory at the newest point">Memory</th>
            <th title="Module loads reported by browsers">Loads</th>
          </tr>
        </thead>
        <tbody>
          {cluster.replicas.map((replica) => (
            <tr key={replica.server} data-testid="server-row" data-server={replica.server}>
              <td>
                {replica.host ?? 'unknown host'}
                {replica.pid !== null && <span className="wb-muted"> pid {replica.pid}</span>}{' '}
                <code className="wb-muted" title={replica.server}>
                  {replica.server.slice(0, 8)}
                </code>{' '}
                {replica.current && <span className="wb-badge wb-badge-neutral">this server</span>}
              </td>
              <td>
                {replica.seenAt ? ago(replica.seenAt, now) : 'stopped'}{' '}
                {!replica.alive && <span className="wb-badge wb-badge-warn">gone</span>}
              </td>
              <FigureCells figures={replica.figures} />
            </tr>
          ))}
          <tr className="wb-server-total" data-testid="server-total">
            <td>
              <strong>Total</strong>
            </td>
            <td />
            <FigureCells figures={cluster.total} />
          </tr>
        </tbody>
      </table>
    </>
  );
}
