import type { MetricsPoint } from '@dbt-workbench/plugin-sdk/contracts/plugin-metrics.schema';

/** For tests: the point of a 10-second interval ending at `atMs`, quiet except for `figures`. */
export function metricsPoint(atMs: number, figures: Partial<MetricsPoint> = {}): MetricsPoint {
  return {
    at: new Date(atMs).toISOString(),
    intervalMs: 10_000,
    calls: 0,
    errors: 0,
    timeouts: 0,
    retries: 0,
    p50Ms: null,
    p95Ms: null,
    hookP95Ms: null,
    restarts: 0,
    memoryMb: null,
    frontendLoads: 0,
    frontendLoadP95Ms: null,
    frontendErrors: 0,
    ...figures,
  };
}
