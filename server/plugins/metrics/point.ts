import type { MetricsPoint } from '@dbt-workbench/plugin-sdk/contracts/plugin-metrics.schema';
import type { StatsWindow } from '../../sandbox/stats.ts';

/** What shells reported of one plugin since the last take: module loads with their times, and failures. */
export interface FrontendWindow {
  loads: number;
  loadSamples: number[];
  /** Load and render errors. */
  errors: number;
}

/** The `p`th percentile (nearest rank) of ascending `sorted`, to a thousandth; null when empty. */
export function percentile(sorted: readonly number[], p: number): number | null {
  if (sorted.length === 0) return null;
  const value = sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
  return Math.round(value * 1000) / 1000;
}

const ascending = (values: readonly number[]) => [...values].sort((a, b) => a - b);

/** One point of a plugin's cost history from what its backend and the shells did in the interval ending `at`. */
export function toPoint(input: {
  at: Date;
  intervalMs: number;
  backend: StatsWindow | undefined;
  memoryMb: number | null;
  frontend: FrontendWindow;
}): MetricsPoint {
  const { backend, frontend } = input;
  const samples = ascending(backend?.samples ?? []);
  return {
    at: input.at.toISOString(),
    intervalMs: input.intervalMs,
    calls: backend?.calls ?? 0,
    errors: backend?.errors ?? 0,
    timeouts: backend?.timeouts ?? 0,
    retries: backend?.retries ?? 0,
    p50Ms: percentile(samples, 50),
    p95Ms: percentile(samples, 95),
    hookP95Ms: percentile(ascending(backend?.hookSamples ?? []), 95),
    restarts: backend?.restarts ?? 0,
    memoryMb: input.memoryMb,
    frontendLoads: frontend.loads,
    frontendLoadP95Ms: percentile(ascending(frontend.loadSamples), 95),
    frontendErrors: frontend.errors,
  };
}
