import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { ManifestDoc } from '../../shared/testing/manifests.ts';

/**
 * Writes a plugin with a backend into `<pluginsDirectory>/<manifest.name>`: the manifest, and `source` as the file
 * its `backend.entry` names. Returns the plugin's folder.
 */
export function writeBackendPlugin(pluginsDirectory: string, manifest: ManifestDoc, source: string): string {
  const folder = path.join(pluginsDirectory, manifest.name as string);
  mkdirSync(path.join(folder, 'backend'), { recursive: true });
  writeFileSync(path.join(folder, 'manifest.json'), JSON.stringify(manifest));
  writeFileSync(path.join(folder, 'backend', manifest.backend.entry as string), source);
  return folder;
}
