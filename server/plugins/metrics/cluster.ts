import type { MetricsPoint } from '@dbt-workbench/plugin-sdk/contracts/plugin-metrics.schema';
import type { ReplicaFigures, ServerFigures } from '../../../shared/plugin-diagnostics.schema.ts';

/**
 * The point with its end moved to the nearest multiple of its interval: the servers on one database sample on the
 * same wall-clock grid, so their points of one interval share their `at` and add up. Pure.
 */
export function onGrid(point: MetricsPoint): MetricsPoint {
  const at = Math.round(Date.parse(point.at) / point.intervalMs) * point.intervalMs;
  return { ...point, at: new Date(at).toISOString() };
}

const counts = ['calls', 'errors', 'timeouts', 'retries', 'restarts', 'frontendLoads', 'frontendErrors'] as const;
const latencies = ['p50Ms', 'p95Ms', 'hookP95Ms', 'frontendLoadP95Ms'] as const;

const maxOf = (values: readonly (number | null)[]) => {
  const known = values.filter((v) => v !== null);
  return known.length === 0 ? null : Math.max(...known);
};
const sumOf = (values: readonly (number | null)[]) => {
  const known = values.filter((v) => v !== null);
  return known.length === 0 ? null : Math.round(known.reduce((a, b) => a + b, 0) * 10) / 10;
};

/**
 * One interval of the whole cluster from each server's point of it (same `at`): counts and memory add up; a
 * latency percentile is the highest of the servers' (the samples stay on each server, so the cluster's own p95
 * cannot be computed; the highest is what a budget must not miss). Pure.
 */
export function mergePoints(points: readonly MetricsPoint[]): MetricsPoint {
  const first = points[0];
  if (!first) throw new Error('mergePoints needs at least one point');
  const merged: MetricsPoint = { ...first, memoryMb: sumOf(points.map((p) => p.memoryMb)) };
  for (const key of counts) merged[key] = points.reduce((total, p) => total + p[key], 0);
  for (const key of latencies) merged[key] = maxOf(points.map((p) => p[key]));
  return merged;
}

/** The cluster's history from every server's points (any order): one merged point per `at`, oldest first. Pure. */
export function mergeHistory(points: readonly MetricsPoint[]): MetricsPoint[] {
  const byAt = new Map<string, MetricsPoint[]>();
  for (const point of points) byAt.set(point.at, [...(byAt.get(point.at) ?? []), point]);
  return [...byAt.keys()].sort().map((at) => mergePoints(byAt.get(at)!));
}

/** One server's figures over a span from its points in it (oldest first): totals, the worst p95, memory now. Pure. */
export function figuresOf(points: readonly MetricsPoint[]): ServerFigures {
  return {
    points: points.length,
    lastPointAt: points.at(-1)?.at ?? null,
    calls: points.reduce((t, p) => t + p.calls, 0),
    errors: points.reduce((t, p) => t + p.errors, 0),
    restarts: points.reduce((t, p) => t + p.restarts, 0),
    p95Ms: maxOf(points.map((p) => p.p95Ms)),
    memoryMb: points.at(-1)?.memoryMb ?? null,
    frontendLoads: points.reduce((t, p) => t + p.frontendLoads, 0),
    frontendErrors: points.reduce((t, p) => t + p.frontendErrors, 0),
  };
}

/** The cluster's figures from each server's: counts and memory add up, the worst p95, the latest point. Pure. */
export function totalOf(replicas: readonly Pick<ReplicaFigures, 'figures'>[]): ServerFigures {
  const all = replicas.map((r) => r.figures);
  const sum = (key: 'points' | 'calls' | 'errors' | 'restarts' | 'frontendLoads' | 'frontendErrors') =>
    all.reduce((t, f) => t + f[key], 0);
  const latest = all.map((f) => f.lastPointAt).filter((at) => at !== null);
  return {
    points: sum('points'),
    lastPointAt: latest.length === 0 ? null : latest.sort().at(-1)!,
    calls: sum('calls'),
    errors: sum('errors'),
    restarts: sum('restarts'),
    p95Ms: maxOf(all.map((f) => f.p95Ms)),
    memoryMb: sumOf(all.map((f) => f.memoryMb)),
    frontendLoads: sum('frontendLoads'),
    frontendErrors: sum('frontendErrors'),
  };
}
