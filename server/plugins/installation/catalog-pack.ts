import { createHash } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { CatalogIndex } from '../../../shared/installation.schema.ts';
import { PluginManifest } from '@dbt-workbench/plugin-sdk/contracts/plugin-manifest.schema';
import { validate } from '@dbt-workbench/plugin-sdk/contracts/validation';
import { writeZip, zipInputsFromDirectory } from '@dbt-workbench/plugin-sdk/node/zip-writer';

/** What a package zip leaves out of a plugin folder: sources, dependencies, git data and build statistics. */
export function packagedPath(relative: string): boolean {
  const top = relative.split('/')[0] ?? '';
  return !['src/', 'node_modules/', '.git/'].includes(`${top}/`) && !relative.endsWith('mf-stats.json');
}

/** Packs one plugin folder into a reproducible zip. Throws naming every manifest problem. */
export async function packPlugin(pluginDir: string): Promise<{ manifest: PluginManifest; zip: Buffer }> {
  const result = validate(PluginManifest, JSON.parse(await readFile(path.join(pluginDir, 'manifest.json'), 'utf8')));
  if (!result.ok) {
    throw new Error(`${pluginDir}/manifest.json is invalid: ${result.problems.map((p) => p.message).join('; ')}`);
  }
  return { manifest: result.value, zip: writeZip(await zipInputsFromDirectory(pluginDir, packagedPath)) };
}

/**
 * Writes a marketplace catalog: each plugin folder packed as `<name>-<version>.zip` into `outDir`, and an
 * `index.json` listing them with their sha256, size and manifest. Returns the index.
 */
export async function packCatalog(
  pluginDirs: readonly string[],
  outDir: string,
  /** Formats the index text before it is written (the repo's scripts pass prettier, so committed files stay formatted). */
  formatIndex: (json: string, file: string) => Promise<string> = async (json) => json,
): Promise<CatalogIndex> {
  await mkdir(outDir, { recursive: true });
  const packages: CatalogIndex['packages'] = [];
  for (const dir of pluginDirs) {
    const { manifest, zip } = await packPlugin(dir);
    const file = `${manifest.name}-${manifest.version}.zip`;
    await writeFile(path.join(outDir, file), zip);
    const text = await readFile(path.join(dir, 'manifest.json'), 'utf8');
    packages.push({
      file,
      sha256: createHash('sha256').update(zip).digest('hex'),
      size: zip.length,
      manifest: JSON.parse(text) as unknown,
    });
  }
  packages.sort((a, b) => a.file.localeCompare(b.file));
  const index: CatalogIndex = { packages };
  const file = path.join(outDir, 'index.json');
  await writeFile(file, await formatIndex(`${JSON.stringify(index, null, 2)}\n`, file));
  return index;
}
