import { useQuery } from '@tanstack/react-query';
import { defineSlotComponent, slots, type PageWidgetProps, type PluginSdk, type Run } from '@dbt-workbench/plugin-sdk';
import type { DigestNode, DigestProblem, RunDigest } from '../backend/digest.ts';

interface DigestsAnswer {
  digests: RunDigest[];
  health: { failingStreak: number; lastRunId: string } | null;
}

/** The plugin's own route, with the server's message when it refuses. */
async function digestsOf(sdk: PluginSdk): Promise<DigestsAnswer> {
  const response = await sdk.fetch('/digests');
  const body = (await response.json().catch(() => null)) as (DigestsAnswer & { error?: { message?: string } }) | null;
  if (!response.ok) throw new Error(body?.error?.message ?? `the plugin answered ${response.status}`);
  if (!body) throw new Error('the plugin answered something that is not JSON');
  return body;
}

/**
 * The run's own digest; else the one made from target/run_results.json when the plugin was not running as
 * the run ended (dbt wrote it between the run's start and end).
 */
function digestOfRun(digests: RunDigest[], run: Run): RunDigest | undefined {
  const own = digests.find((d) => d.runId === run.id);
  if (own || !run.startedAt || !run.finishedAt) return own;
  const from = Date.parse(run.startedAt) - 1000;
  const to = Date.parse(run.finishedAt) + 5000;
  return digests.find((d) => {
    const at = d.source === 'artifacts' && d.results ? Date.parse(d.results.generatedAt) : NaN;
    return at >= from && at <= to;
  });
}

const tone: Record<string, string> = {
  success: 'good',
  pass: 'good',
  error: 'bad',
  fail: 'bad',
  'runtime error': 'bad',
  warn: 'warn',
  skipped: 'warn',
};
const order = ['error', 'fail', 'warn', 'skipped', 'success', 'pass'];
const rank = (status: string) => (order.includes(status) ? order.indexOf(status) : order.length);

function NodeLink({ sdk, node }: { sdk: PluginSdk; node: DigestNode }) {
  if (node.resourceType === 'test') return <span title={node.uniqueId}>{node.name}</span>;
  return (
    <button
      type="button"
      className="wb-link-button"
      style={{ textAlign: 'left' }}
      title={node.uniqueId}
      onClick={() => sdk.navigate(`/nodes/${encodeURIComponent(node.uniqueId)}`)}
    >
      {node.name}
    </button>
  );
}

function Problems({ sdk, problems }: { sdk: PluginSdk; problems: DigestProblem[] }) {
  // Errors and failures first, then warnings, then what was skipped because of them.
  const shown = [...problems].sort((a, b) => rank(a.status) - rank(b.status)).slice(0, 8);
  return (
    <div>
      <strong style={{ fontSize: 13 }}>Needs attention</strong>
      <ul data-testid="run-digest-problems" style={{ margin: '4px 0 0', paddingLeft: 18, overflowWrap: 'anywhere' }}>
        {shown.map((p) => (
          <li key={p.uniqueId}>
            <span className={`wb-badge wb-badge-${tone[p.status] ?? 'neutral'}`}>{p.status}</span>{' '}
            <NodeLink sdk={sdk} node={p} />
            {p.message && p.status !== 'skipped' ? <span className="wb-muted"> — {p.message}</span> : null}
          </li>
        ))}
      </ul>
      {problems.length > shown.length && (
        <p className="wb-muted" style={{ margin: '4px 0 0' }}>
          and {problems.length - shown.length} more.
        </p>
      )}
    </div>
  );
}

/** The digest of the run shown: status counts, what failed or was skipped, the slowest nodes. */
function RunDigestWidget({ sdk, run }: PageWidgetProps) {
  const ended = run !== undefined && run.finishedAt !== null;
  // The digest is made right after the run ends: until then, and for a minute after, look again.
  const waiting = !ended || Date.now() - Date.parse(run!.finishedAt!) < 60_000;
  const query = useQuery({
    queryKey: ['run-digest', sdk.workspace.name, run?.id],
    queryFn: () => digestsOf(sdk),
    enabled: run !== undefined,
    refetchInterval: (q) =>
      !waiting || (q.state.data && run && digestOfRun(q.state.data.digests, run)) ? false : 2000,
  });
  if (!run) return null;
  if (query.isPending) return <p className="wb-muted">Loading the run digest…</p>;
  if (query.isError)
    return (
      <p className="wb-plugin-error" data-testid="run-digest-error">
        Could not load the run digest: {query.error.message}
      </p>
    );
  const digest = digestOfRun(query.data.digests, run);
  if (!digest)
    return (
      <p className="wb-muted" data-testid="run-digest-empty">
        {!ended
          ? 'The digest appears here when this run ends.'
          : waiting
            ? 'Making the digest of this run…'
            : 'No digest for this run: it ended while the run-digest plugin was not running.'}
      </p>
    );
  const results = digest.results;
  if (!results)
    return (
      <p className="wb-muted" data-testid="run-digest-empty">
        {digest.note ?? 'This run left no run results to sum up.'}
      </p>
    );
  const counts = Object.entries(results.counts).sort(([a], [b]) => rank(a) - rank(b));
  const streak = query.data.health?.failingStreak ?? 0;
  return (
    <div
      data-testid="run-digest"
      // One column that may shrink below its content: long test names wrap, the table scrolls.
      style={{ display: 'grid', gap: 10, gridTemplateColumns: 'minmax(0, 1fr)' }}
    >
      <p style={{ margin: 0, display: 'flex', flexWrap: 'wrap', gap: 6, alignItems: 'center' }}>
        <span>
          {results.total} nodes in {results.elapsedSeconds} s:
        </span>
        {counts.map(([status, n]) => (
          <span key={status} className={`wb-badge wb-badge-${tone[status] ?? 'neutral'}`}>
            {n} {status}
          </span>
        ))}
      </p>
      {digest.source === 'artifacts' && (
        <p className="wb-muted" style={{ margin: 0 }}>
          Read from target/run_results.json: the plugin was not running when this run ended.
        </p>
      )}
      {streak > 1 && query.data.health?.lastRunId === run.id && (
        <p style={{ margin: 0, color: 'var(--wb-bad)' }}>
          {streak} runs in a row have not succeeded in this workspace.
        </p>
      )}
      {results.problems.length > 0 ? (
        <Problems sdk={sdk} problems={results.problems} />
      ) : (
        <p style={{ margin: 0 }}>Nothing failed, warned or was skipped.</p>
      )}
      {results.slowest.length > 0 && (
        <div style={{ overflowX: 'auto' }}>
          <strong style={{ fontSize: 13 }}>Slowest {results.slowest.length}</strong>
          <table className="wb-table" data-testid="run-digest-slowest" style={{ marginTop: 4, width: '100%' }}>
            <thead>
              <tr>
                <th>node</th>
                <th>type</th>
                <th style={{ textAlign: 'right' }}>s</th>
              </tr>
            </thead>
            <tbody>
              {results.slowest.map((n) => (
                <tr key={n.uniqueId}>
                  <td style={{ overflowWrap: 'anywhere' }}>
                    <NodeLink sdk={sdk} node={n} />
                  </td>
                  <td className="wb-muted">{n.resourceType}</td>
                  <td style={{ textAlign: 'right', fontVariantNumeric: 'tabular-nums' }}>{n.seconds.toFixed(2)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}

export default defineSlotComponent(slots.pageWidget, RunDigestWidget);
