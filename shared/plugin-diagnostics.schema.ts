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

/** `GET /api/plugins/:name/diagnostics`: the backend's diagnostics with the facts of the version in force. */
export const PluginDiagnosticsAnswer = PluginDiagnostics.extend({ versionFacts: PluginVersionFacts });
export type PluginDiagnosticsAnswer = z.infer<typeof PluginDiagnosticsAnswer>;
