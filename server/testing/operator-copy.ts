import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { testManifest } from '../../shared/testing/manifests.ts';

/** Writes `name`'s manifest at `version` into `<dir>/plugins/<name>`, as an operator copying a build there would. */
export function placePluginOnDisk(dir: string, name: string, version: string, capabilities: string[]): void {
  const folder = path.join(dir, 'plugins', name);
  mkdirSync(folder, { recursive: true });
  writeFileSync(path.join(folder, 'manifest.json'), JSON.stringify(testManifest(name, { version, capabilities })));
}
