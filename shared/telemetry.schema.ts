import { z } from 'zod';
import { PluginName } from '@dbt-workbench/plugin-sdk/contracts/plugin-manifest.schema';

/**
 * What a shell saw of one plugin: a module loaded (and how long it took), a load or render failure, or what the host
 * end of an isolated plugin's bridge refused: a call outside its approval (`bridge-refused`, the message names the
 * call and why), too many calls (`bridge-flood`, the message says how many), a frame that missed its heartbeat and
 * was torn down (`frame-unresponsive`).
 */
export const FrontendEvent = z.object({
  plugin: PluginName,
  kind: z.enum(['load', 'load-error', 'render-error', 'bridge-refused', 'bridge-flood', 'frame-unresponsive']),
  ms: z.number().min(0).max(600_000).optional(),
  message: z.string().max(500).optional(),
});
export type FrontendEvent = z.infer<typeof FrontendEvent>;

/** `POST /api/plugins/telemetry`: a batch of events from one shell. */
export const FrontendEventBatch = z.object({ events: z.array(FrontendEvent).min(1).max(200) });
export type FrontendEventBatch = z.infer<typeof FrontendEventBatch>;

/** Per plugin, what shells reported since the server started. */
export const FrontendStats = z.object({
  loads: z.number().int(),
  loadP50Ms: z.number().nullable(),
  loadP95Ms: z.number().nullable(),
  loadErrors: z.number().int(),
  renderErrors: z.number().int(),
  /** Bridge calls of an isolated frame refused by the host end (not approved, not enabled, unknown). */
  refusedCalls: z.number().int(),
  /** Times a frame flooded its bridge past the rate limit. */
  bridgeFloods: z.number().int(),
  /** Frames torn down for missing the bridge's heartbeat. */
  unresponsiveFrames: z.number().int(),
  /** The newest problem of any kind above. */
  lastError: z.object({ at: z.string(), kind: z.string(), message: z.string() }).nullable(),
});
export type FrontendStats = z.infer<typeof FrontendStats>;
