import { execFileSync } from 'node:child_process';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';

// Test helpers: where the dbt artifacts tests read are (fixtures/dbt-artifacts, in the repository) and how to copy
// them into a test's workspace.

const repoRoot = path.resolve(import.meta.dirname, '../..');

/** The dbt artifacts of the tests (see its README for where each comes from). */
export const fixtureDataDir = path.join(repoRoot, 'fixtures/dbt-artifacts');

/**
 * The synthetic 4,122-node project (1,000 models, seed 42; a 16.5 MB manifest): generated once into the temp
 * folder by the committed generator rather than committed. Several test files may ask at once: each generates
 * into a folder of its own and renames it into place, so none reads a half-written one.
 */
export function syntheticProjectDir(): string {
  const dir = path.join(os.tmpdir(), 'dbt-workbench-synthetic-models_1000-seed42');
  if (existsSync(path.join(dir, 'sources.json'))) return dir;
  const scratch = mkdtempSync(`${dir}-`);
  execFileSync(
    process.execPath,
    [
      path.join(fixtureDataDir, 'tools/generate_large_manifest.mjs'),
      '--models',
      '1000',
      '--seed',
      '42',
      '--out',
      scratch,
    ],
    { stdio: 'ignore' },
  );
  try {
    renameSync(scratch, dir);
  } catch {
    rmSync(scratch, { recursive: true, force: true }); // another test file got there first
  }
  return dir;
}

/** The datasets with dbt artifacts, by folder name under `sharedDataDir`. */
export const datasets = {
  classic: 'jaffle_shop_classic_elementary_dbt1.9',
  v112: 'jaffle_shop_v12_dbt1.12',
  v15: 'dbt_docs_ci_jaffle_shop_dbt1.5',
  synthetic: 'synthetic/models_1000',
} as const;

export function datasetDir(name: keyof typeof datasets): string {
  return name === 'synthetic' ? syntheticProjectDir() : path.join(fixtureDataDir, datasets[name]);
}

/**
 * Every artifact file of a kind: under the fixture folder (the generator's folder excluded), then the synthetic
 * project's. Absolute paths.
 */
export function artifactFilesNamed(file: string): string[] {
  const found: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory() && entry.name !== 'tools') walk(full);
      else if (entry.isFile() && entry.name === file) found.push(full);
    }
  };
  walk(fixtureDataDir);
  const synthetic = path.join(syntheticProjectDir(), file);
  return [...found.sort(), ...(existsSync(synthetic) ? [synthetic] : [])];
}

export function readJson(file: string): unknown {
  return JSON.parse(readFileSync(file, 'utf8'));
}

/** Copies a dataset's artifacts into `targetDir` (created if needed); `only` limits which files. */
export function copyArtifacts(
  name: keyof typeof datasets,
  targetDir: string,
  only: readonly string[] = ['manifest.json', 'catalog.json', 'run_results.json'],
): void {
  mkdirSync(targetDir, { recursive: true });
  for (const file of only) {
    const from = path.join(datasetDir(name), file);
    if (existsSync(from)) copyFileSync(from, path.join(targetDir, file));
  }
}
