import { stat } from 'node:fs/promises';
import path from 'node:path';
import type { HostFacts } from '@dbt-workbench/plugin-sdk/node/compatibility';
import { hostCompatibilityProblems } from '@dbt-workbench/plugin-sdk/node/compatibility';
import type { PluginVersionFacts } from '../../shared/plugin-diagnostics.schema.ts';
import type { Database } from '../db/database.ts';
import type { PluginRecord } from '../plugins/evaluate.ts';
import { installationRowOf } from '../plugins/installation/installations.ts';

/**
 * The facts of a plugin's version in force for its diagnostics: when it was last updated (by the installer, or on
 * disk for a folder placed by hand), the version it replaced, and its compatibility ranges against this server.
 */
export async function versionFacts(db: Database, record: PluginRecord, host: HostFacts): Promise<PluginVersionFacts> {
  const manifest = record.manifest;
  const row = await installationRowOf(db, record.name);
  const installed = row && row.version === manifest?.version ? row : undefined;
  const changedOnDisk = installed
    ? undefined
    : await stat(path.join(record.directory, 'manifest.json')).then(
        (s) => s.mtime.toISOString(),
        () => undefined,
      );
  return {
    ...(manifest ? { version: manifest.version } : {}),
    updatedAt: installed?.updated_at ?? changedOnDisk ?? null,
    updatedBy: installed ? 'installer' : 'folder',
    previousVersion: installed?.previous_version ?? null,
    ...(manifest
      ? {
          compatibility: {
            workbench: manifest.compatibility.workbench,
            pluginApi: manifest.compatibility.pluginApi,
            server: { workbench: host.version, pluginApi: [...host.pluginApiVersions] },
            fits: hostCompatibilityProblems(manifest, host).length === 0,
          },
        }
      : {}),
  };
}
