import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

// Test helpers: where the shared dbt artifacts are (`../shared/data` beside the repository) and how to copy
// them into a test's workspace.

const repoRoot = path.resolve(import.meta.dirname, '../..');

/** The handbook's test data folder, beside the repository. */
export const sharedDataDir = path.resolve(repoRoot, '../shared/data');

/** The datasets with dbt artifacts, by folder name under `sharedDataDir`. */
export const datasets = {
  classic: 'jaffle_shop_classic_elementary_dbt1.9',
  v112: 'jaffle_shop_v12_dbt1.12',
  v15: 'dbt_docs_ci_jaffle_shop_dbt1.5',
  synthetic: 'synthetic/models_1000',
} as const;

export function datasetDir(name: keyof typeof datasets): string {
  return path.join(sharedDataDir, datasets[name]);
}

/** Every artifact file of a kind under the shared data folder (schemas excluded), relative paths. */
export function artifactFilesNamed(file: string): string[] {
  const found: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory() && entry.name !== 'schemas' && entry.name !== 'tools') walk(full);
      else if (entry.isFile() && entry.name === file) found.push(path.relative(sharedDataDir, full));
    }
  };
  walk(sharedDataDir);
  return found.sort();
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
