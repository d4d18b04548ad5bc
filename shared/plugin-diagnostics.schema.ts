import { PluginDiagnostics } from '@dbt-workbench/plugin-sdk/contracts/sandbox.schema';
import { z } from 'zod';

/** Where a plugin's version in force came from and whether it fits this server: the diagnostics page's head facts. */
export const PluginVersionFacts = z.object({
  /** The version in force; absent when its manifest cannot be read. */
  version: z.string().optional(),
  /**
   * When that version was last installed, updated or rolled back through the API (`installer`), or, for a folder
   * placed by hand, when its `manifest.json` last changed on disk (`folder`); null when neither is known.
   */
  updatedAt: z.string().nullable(),
  updatedBy: z.enum(['installer', 'folder']),
  /** The version it replaced, when the installer recorded one. */
  previousVersion: z.string().nullable(),
  /** The ranges the manifest declares, what this server is, and whether they fit. */
  compatibility: z
    .object({
      workbench: z.string(),
      pluginApi: z.number().int(),
      server: z.object({ workbench: z.string(), pluginApi: z.array(z.number().int()) }),
      fits: z.boolean(),
    })
    .optional(),
});
export type PluginVersionFacts = z.infer<typeof PluginVersionFacts>;

/** One server's (or the cluster's) figures of a plugin over a span, from its cost history. */
export const ServerFigures = z.object({
  /** Points in the span, and the end of the newest (null when none). */
  points: z.number().int().min(0),
  lastPointAt: z.string().nullable(),
  calls: z.number().int().min(0),
  errors: z.number().int().min(0),
  restarts: z.number().int().min(0),
  /** The highest p95 of any interval in the span, in ms. */
  p95Ms: z.number().nullable(),
  /** Resident memory of the backend at the newest point, in MB (for the cluster: the servers' added up). */
  memoryMb: z.number().nullable(),
  frontendLoads: z.number().int().min(0),
  frontendErrors: z.number().int().min(0),
});
export type ServerFigures = z.infer<typeof ServerFigures>;

/** One server on the database with its figures of the plugin. */
export const ReplicaFigures = z.object({
  /** The server's id (its row in `servers`), host name and process id. */
  server: z.string(),
  host: z.string().nullable(),
  pid: z.number().int().nullable(),
  /** Its last heartbeat; null once it stopped (it removes its row) or for a server that keeps none. */
  seenAt: z.string().nullable(),
  /** Heartbeat recent enough that the others count it alive. */
  alive: z.boolean(),
  /** The server that answered this request. */
  current: z.boolean(),
  figures: ServerFigures,
});
export type ReplicaFigures = z.infer<typeof ReplicaFigures>;

/**
 * Each server's figures of a plugin over the kept cost history (PLUGIN_METRICS_KEEP points), and the cluster's total:
 * the sums budgets judge, window by window.
 */
export const ClusterFigures = z.object({
  /** How far back the figures reach, in ms. */
  spanMs: z.number().int().positive(),
  replicas: z.array(ReplicaFigures),
  total: ServerFigures,
});
export type ClusterFigures = z.infer<typeof ClusterFigures>;

/**
 * `GET /api/plugins/:name/diagnostics`: the backend's diagnostics (of the server that answered: each server runs
 * its own backends) with the facts of the version in force and, with the plugin system on, every server's figures.
 */
export const PluginDiagnosticsAnswer = PluginDiagnostics.extend({
  versionFacts: PluginVersionFacts,
  cluster: ClusterFigures.optional(),
});
export type PluginDiagnosticsAnswer = z.infer<typeof PluginDiagnosticsAnswer>;
