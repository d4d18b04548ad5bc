// What a run digest holds and how it is made from a run_results.json. Pure functions, no I/O: the backend's
// index.ts reads the files and stores the digests.

/** Per-node statuses of dbt's run_results.json, counted. */
export type StatusCounts = Record<string, number>;

/** A node of the run, as the digest lists it. */
export interface DigestNode {
  uniqueId: string;
  name: string;
  resourceType: string;
  status: string;
  seconds: number;
}

/** A node that errored, failed, warned or was skipped; `badgeOn` is where the lineage graph shows it. */
export interface DigestProblem extends DigestNode {
  message: string | null;
  /** The node itself, or for a test the model it tests (tests are not drawn in the lineage graph). */
  badgeOn: string;
}

/** What one run_results.json says, summed up. */
export interface ResultsSummary {
  invocationId: string;
  generatedAt: string;
  elapsedSeconds: number;
  total: number;
  counts: StatusCounts;
  /** The median time of the models, seeds and snapshots that succeeded: what "slow" is measured against. */
  medianSeconds: number;
  slowest: DigestNode[];
  problems: DigestProblem[];
}

/** The digest of one run: from a run the workbench started (`run`) or from artifacts written elsewhere. */
export interface RunDigest {
  /** The run's id, or `artifacts:<invocation id>` for a dbt invocation the workbench did not start. */
  id: string;
  source: 'run' | 'artifacts';
  workspace: string;
  runId: string | null;
  status: string;
  trigger: string | null;
  schedule: { id: string | null; name: string | null } | null;
  startedAt: string | null;
  finishedAt: string | null;
  recordedAt: string;
  /** Null when the run left no run_results.json of its own; `note` says why. */
  results: ResultsSummary | null;
  note?: string;
}

/** The plugin's configuration (manifest `configuration`), read defensively. */
export interface DigestSettings {
  slowest: number;
  keep: number;
  badgeSkipped: boolean;
}

export function settingsOf(config: unknown): DigestSettings {
  const c = (typeof config === 'object' && config !== null ? config : {}) as Record<string, unknown>;
  const int = (value: unknown, fallback: number, min: number, max: number) =>
    typeof value === 'number' && Number.isInteger(value) ? Math.min(max, Math.max(min, value)) : fallback;
  return {
    slowest: int(c.slowest, 5, 1, 25),
    keep: int(c.keep, 50, 1, 500),
    badgeSkipped: c.badgeSkipped !== false,
  };
}

/** Statuses that make a node a problem worth listing. */
const PROBLEMS = new Set(['error', 'fail', 'warn', 'skipped', 'runtime error']);

interface RawResult {
  unique_id?: unknown;
  status?: unknown;
  execution_time?: unknown;
  message?: unknown;
}

/** The parts of a run_results.json the digest reads; anything else is ignored. */
export interface RawRunResults {
  metadata?: { invocation_id?: unknown; generated_at?: unknown };
  elapsed_time?: unknown;
  results?: unknown;
}

function nodeOf(result: RawResult): DigestNode | null {
  if (typeof result.unique_id !== 'string' || typeof result.status !== 'string') return null;
  // `<type>.<package>.<name>`, with a hash after a test's name and `<source>.<table>` for sources.
  const parts = result.unique_id.split('.');
  const rest = parts.slice(2);
  if (parts[0] === 'test' && rest.length > 1 && /^[0-9a-f]{10}$/.test(rest.at(-1)!)) rest.pop();
  return {
    uniqueId: result.unique_id,
    name: rest.join('.') || result.unique_id,
    resourceType: parts[0] ?? 'node',
    status: result.status,
    seconds: typeof result.execution_time === 'number' ? Math.round(result.execution_time * 1000) / 1000 : 0,
  };
}

/**
 * Sums up a parsed run_results.json: counts per status, the `slowest` nodes, and every node that errored,
 * failed, warned or was skipped. `testedBy` maps a test to the node it tests, for badges. Null when the
 * document is not run results.
 */
export function summarize(
  doc: RawRunResults,
  slowest: number,
  testedBy: (testId: string) => string | undefined = () => undefined,
): ResultsSummary | null {
  if (!Array.isArray(doc.results) || typeof doc.metadata?.invocation_id !== 'string') return null;
  const nodes = (doc.results as RawResult[]).flatMap((r) => {
    const node = nodeOf(r);
    return node ? [{ node, message: typeof r.message === 'string' ? r.message : null }] : [];
  });
  const counts: StatusCounts = {};
  for (const { node } of nodes) counts[node.status] = (counts[node.status] ?? 0) + 1;
  const ran = nodes
    .map((n) => n.node)
    .filter((n) => n.resourceType !== 'test' && n.status === 'success')
    .sort((a, b) => b.seconds - a.seconds);
  return {
    invocationId: doc.metadata.invocation_id,
    generatedAt: typeof doc.metadata.generated_at === 'string' ? doc.metadata.generated_at : '',
    elapsedSeconds: typeof doc.elapsed_time === 'number' ? Math.round(doc.elapsed_time * 100) / 100 : 0,
    total: nodes.length,
    counts,
    medianSeconds: ran.length === 0 ? 0 : ran[Math.floor(ran.length / 2)]!.seconds,
    slowest: ran.slice(0, slowest),
    problems: nodes
      .filter(({ node }) => PROBLEMS.has(node.status))
      .map(({ node, message }) => ({
        ...node,
        message,
        badgeOn: (node.resourceType === 'test' ? testedBy(node.uniqueId) : undefined) ?? node.uniqueId,
      })),
  };
}

/**
 * Whether run results belong to a run that started at `startedAt`: dbt writes the file at the end, so results
 * generated before the run began are an older invocation's, left in `target/`.
 */
export function belongsToRun(results: ResultsSummary, startedAt: string | null): boolean {
  if (!startedAt || !results.generatedAt) return true;
  return Date.parse(results.generatedAt) >= Date.parse(startedAt) - 1000;
}

/** A badge over the lineage graph, in the shape `host.lineage.onBuild` returns. */
export interface DigestBadge {
  nodeId: string;
  label: string;
  tone: 'good' | 'warn' | 'bad' | 'neutral';
  title: string;
}

const problemLabel: Record<string, { label: string; tone: DigestBadge['tone'] }> = {
  error: { label: 'failed', tone: 'bad' },
  'runtime error': { label: 'failed', tone: 'bad' },
  fail: { label: 'test failed', tone: 'bad' },
  warn: { label: 'test warned', tone: 'warn' },
  skipped: { label: 'skipped', tone: 'warn' },
};

const seconds = (s: number) => `${s < 10 ? s.toFixed(1) : Math.round(s)} s`;

/** When a run ended, for people: `2025-01-02 03:04 UTC`. */
export function shortTime(iso: string): string {
  return /^\d{4}-\d\d-\d\dT\d\d:\d\d/.test(iso) ? `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC` : iso;
}

/**
 * Badges for the latest digest: what failed or was skipped, and those of the slowest nodes that took at least
 * twice the run's median (when every node takes about as long, none is slow). One badge per node.
 */
export function badgesOf(digest: RunDigest, settings: DigestSettings): DigestBadge[] {
  const results = digest.results;
  if (!results) return [];
  const byNode = new Map<string, DigestBadge>();
  const when = shortTime(digest.finishedAt ?? results.generatedAt);
  for (const p of results.problems) {
    if (p.status === 'skipped' && !settings.badgeSkipped) continue;
    const look = problemLabel[p.status] ?? { label: p.status, tone: 'warn' as const };
    if (byNode.has(p.badgeOn) && byNode.get(p.badgeOn)!.tone === 'bad') continue;
    const what = p.badgeOn === p.uniqueId ? '' : `${p.name}: `;
    byNode.set(p.badgeOn, {
      nodeId: p.badgeOn,
      label: look.label,
      tone: look.tone,
      title: `${what}${p.message ?? p.status} (run of ${when})`,
    });
  }
  const median = results.medianSeconds;
  for (const n of results.slowest) {
    if (byNode.has(n.uniqueId) || n.seconds <= 0 || n.seconds < 2 * median) continue;
    const times = median > 0 ? `, ${(n.seconds / median).toFixed(1)}x the median of ${seconds(median)}` : '';
    byNode.set(n.uniqueId, {
      nodeId: n.uniqueId,
      label: `slow ${seconds(n.seconds)}`,
      tone: 'neutral',
      title: `Among the ${results.slowest.length} slowest nodes of the last run (${when})${times}`,
    });
  }
  return [...byNode.values()];
}

/** One line for the lineage graph and the log: `2 error, 3 skipped, 40 success in 12.3 s`. */
export function headline(results: ResultsSummary): string {
  const order = ['error', 'fail', 'warn', 'skipped', 'success', 'pass'];
  const rank = (status: string) => (order.includes(status) ? order.indexOf(status) : order.length);
  const parts = Object.entries(results.counts)
    .sort(([a], [b]) => rank(a) - rank(b) || a.localeCompare(b))
    .map(([status, n]) => `${n} ${status}`);
  return `${parts.join(', ') || 'no nodes'} in ${results.elapsedSeconds} s`;
}
