import { useQuery } from '@tanstack/react-query';
import { getFrontendStats, getPluginDiagnostics } from '../../../shared/http/plugin-operations.ts';
import { callApi } from '../../api/client.ts';

const ms = (value: number | null) => (value === null ? '—' : `${value < 10 ? value.toFixed(1) : Math.round(value)} ms`);
const when = (iso: string | undefined) => (iso ? new Date(iso).toLocaleString() : '—');
const problemLabels: Record<string, string> = {
  'load-error': 'Load error',
  'render-error': 'Render error',
  'bridge-refused': 'Call refused',
  'bridge-flood': 'Bridge flooded',
  'frame-unresponsive': 'Frame not answering',
};

/**
 * What browsers reported of the plugin's frontend: module load times and failures, and, for an isolated plugin,
 * what the host end of its bridge refused (the plugin's rejected actions in browsers).
 */
export function BrowserStats({ name }: { name: string }) {
  const stats = useQuery({
    queryKey: ['plugins', name, 'frontend-stats'],
    queryFn: () => callApi(getFrontendStats, { params: { name } }),
    refetchInterval: 3_000,
  });
  if (!stats.data) return null;
  const s = stats.data;
  const rejected = s.refusedCalls + s.bridgeFloods + s.unresponsiveFrames;
  const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;
  return (
    <dl className="wb-facts" data-testid="frontend-stats">
      <dt>In browsers</dt>
      <dd>
        {s.loads} module loads, p50 {ms(s.loadP50Ms)}, p95 {ms(s.loadP95Ms)}; {s.loadErrors} load and {s.renderErrors}{' '}
        render errors
      </dd>
      {rejected > 0 && (
        <>
          <dt>Rejected in browsers</dt>
          <dd data-testid="bridge-rejections">
            {plural(s.refusedCalls, 'refused call', 'refused calls')}, {plural(s.bridgeFloods, 'flood', 'floods')} of
            its bridge, {plural(s.unresponsiveFrames, 'frame', 'frames')} closed for not answering
          </dd>
        </>
      )}
      {s.lastError && (
        <>
          <dt>Last problem</dt>
          <dd>
            {problemLabels[s.lastError.kind] ?? s.lastError.kind}: {s.lastError.message} ({when(s.lastError.at)})
          </dd>
        </>
      )}
    </dl>
  );
}

/** The plugin's diagnostics with its cost history and health, fetched again every few seconds. */
export function useDiagnostics(name: string) {
  return useQuery({
    queryKey: ['plugins', name, 'diagnostics'],
    queryFn: () => callApi(getPluginDiagnostics, { params: { name } }),
    refetchInterval: 3_000,
  });
}

/** The plugin backend's process: state, restarts, memory, limits, sandbox layers, calls, rejected actions, crashes. */
export function BackendDiagnostics({ name }: { name: string }) {
  const diagnostics = useDiagnostics(name);
  if (diagnostics.isPending) return <p className="wb-loading">Loading diagnostics…</p>;
  if (diagnostics.isError)
    return <p className="wb-form-error">Could not load diagnostics: {diagnostics.error.message}</p>;
  const d = diagnostics.data;
  return (
    <div className="wb-diagnostics" data-testid="diagnostics">
      <dl className="wb-facts">
        <dt>Backend</dt>
        <dd>
          {d.state}
          {d.reason ? ` — ${d.reason}` : ''}
        </dd>
        <dt>Last start</dt>
        <dd>{when(d.lastStartAt)}</dd>
        <dt>Load time</dt>
        <dd data-testid="load-time">
          {d.activationMs === undefined
            ? 'not active yet'
            : `${ms(d.activationMs)} to activate; active since ${when(d.lastActivatedAt)}`}
        </dd>
        <dt>Restarts / crashes</dt>
        <dd>
          {d.restarts} / {d.crashes}
        </dd>
        <dt>Memory</dt>
        <dd>{d.memoryMb == null ? '—' : `${d.memoryMb} MB resident`}</dd>
        <dt>Limits</dt>
        <dd>
          {d.limits.timeoutMs} ms per call, {d.limits.memoryMb} MB
        </dd>
        {d.refusedCalls.concurrency + d.refusedCalls.rate > 0 && (
          <>
            <dt>Refused calls</dt>
            <dd data-testid="refused-calls">
              {d.refusedCalls.concurrency} with too many in flight, {d.refusedCalls.rate} past its rate (answered 429)
            </dd>
          </>
        )}
      </dl>
      <div className="wb-capabilities">
        <span className="wb-muted">Sandbox layers:</span>
        {d.layers.map((layer) => (
          <span key={layer.layer} className={layer.active ? 'wb-chip' : 'wb-chip wb-chip-off'} title={layer.detail}>
            {layer.active ? '✓' : '✗'} {layer.layer}
          </span>
        ))}
      </div>
      {d.calls.length > 0 && (
        <table className="wb-table wb-diagnostics-calls" aria-label="Calls">
          <thead>
            <tr>
              <th>Call</th>
              <th>Count</th>
              <th>Errors</th>
              <th title="Extra attempts made under the hook's retry policy">Retries</th>
              <th>p50</th>
              <th>p95</th>
            </tr>
          </thead>
          <tbody>
            {d.calls.map((call) => (
              <tr key={`${call.kind}:${call.name}`}>
                <td>
                  <span className="wb-muted">{call.kind}</span> {call.name}
                </td>
                <td>{call.count}</td>
                <td title={call.lastError}>{call.errors + call.timeouts}</td>
                <td>{call.kind === 'route' ? '' : call.retries}</td>
                <td>{ms(call.p50Ms)}</td>
                <td>{ms(call.p95Ms)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {d.rejectedActions.length > 0 && (
        <div>
          <h3 className="wb-card-title">Rejected actions ({d.rejectedCount})</h3>
          <ul>
            {d.rejectedActions.map((r) => (
              <li key={`${r.at}-${r.action}`}>
                {when(r.at)}: {r.message}
              </li>
            ))}
          </ul>
        </div>
      )}
      {d.recentCrashes.length > 0 && (
        <div>
          <h3 className="wb-card-title">Recent crashes</h3>
          <ul>
            {d.recentCrashes.map((c) => (
              <li key={c.at}>
                {when(c.at)}: {c.reason}
              </li>
            ))}
          </ul>
        </div>
      )}
    </div>
  );
}
