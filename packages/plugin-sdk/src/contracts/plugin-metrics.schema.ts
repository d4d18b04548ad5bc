import { z } from 'zod';

/**
 * One interval of one plugin's cost, as sampled by the server every PLUGIN_METRICS_INTERVAL_MS: what its backend
 * did (calls, failures, latency, restarts, memory) and what shells reported of its frontend in that interval.
 * Counts are for the interval only, not since start; `null` where nothing happened to measure.
 */
export const MetricsPoint = z.object({
  /** End of the interval (ISO time). */
  at: z.string(),
  intervalMs: z.number().int().positive(),
  /** Backend routes, hooks and events that finished in the interval. */
  calls: z.number().int().min(0),
  /** Of those, the ones that threw, crashed or timed out. */
  errors: z.number().int().min(0),
  timeouts: z.number().int().min(0),
  /** Extra attempts made by hook retry policies. */
  retries: z.number().int().min(0),
  p50Ms: z.number().nullable(),
  p95Ms: z.number().nullable(),
  /** p95 of hooks and events only (what the `p95Ms` budget watches); routes answer users and are not in it. */
  hookP95Ms: z.number().nullable(),
  /** Restarts of the backend process in the interval. */
  restarts: z.number().int().min(0),
  /** Resident memory of the backend process at the end of the interval, in MB; null without a process. */
  memoryMb: z.number().nullable(),
  /** Module loads shells reported in the interval, their p95, and load or render failures. */
  frontendLoads: z.number().int().min(0),
  frontendLoadP95Ms: z.number().nullable(),
  frontendErrors: z.number().int().min(0),
});
export type MetricsPoint = z.infer<typeof MetricsPoint>;

/**
 * A plugin's health at a glance: `off` when it is not running (disabled, waiting for approval, incompatible),
 * `idle` when nothing called it lately, `degraded` when it works but slowly or with some failures, `failing` when
 * it is over its error or restart budget or its backend is down, `healthy` otherwise.
 */
export const PluginHealthLevel = z.enum(['healthy', 'degraded', 'failing', 'idle', 'off']);
export type PluginHealthLevel = z.infer<typeof PluginHealthLevel>;

/** The level with one line saying why, e.g. `{ level: 'degraded', summary: 'p95 3.2 s over the 2 s budget' }`. */
export const PluginHealth = z.object({ level: PluginHealthLevel, summary: z.string() });
export type PluginHealth = z.infer<typeof PluginHealth>;
