import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { PluginManifest } from '@dbt-workbench/plugin-sdk/contracts/plugin-manifest.schema';
import { HttpError } from '../../http/errors.ts';
import { describeClash, installClashes } from '../conflicts.ts';
import type { PluginRecord } from '../evaluate.ts';

/**
 * Refuses (409) a package that claims a key another installed plugin owns (a page path, see conflicts.ts), naming
 * each key, its owner and the owner's version. Runs before anything is written, so the owner keeps serving.
 */
export function refuseClashes(manifest: PluginManifest, installed: readonly PluginRecord[]): void {
  const clashes = installClashes(manifest, installed);
  if (clashes.length === 0) return;
  throw new HttpError(
    'conflict',
    `Plugin "${manifest.name}" ${manifest.version} clashes with installed plugins: ${clashes.map((c) => describeClash(c)).join('; ')}. Nothing was changed; give it other page paths, or remove the owner first`,
    { clashes },
  );
}

/** `refuseClashes` for a kept version's folder (a rollback target); one without a valid manifest claims nothing. */
export async function refuseClashesOfFolder(folder: string, installed: readonly PluginRecord[]): Promise<void> {
  let json: unknown;
  try {
    json = JSON.parse(await readFile(path.join(folder, 'manifest.json'), 'utf8'));
  } catch {
    return;
  }
  const manifest = PluginManifest.safeParse(json);
  if (manifest.success) refuseClashes(manifest.data, installed);
}
