import path from 'node:path';
import { fixtureDataDir, syntheticProjectDir } from '../catalog/test-data.ts';
import { buildProjectGraph, type ProjectGraph } from './graph.ts';
import { readManifestIndex } from './manifest-index.ts';

const repo = path.resolve(import.meta.dirname, '../..');

/** The artifact folders the lineage tests and bench read: the demo workspaces and the synthetic project. */
export const artifactDirs = {
  classic: path.join(repo, 'demo/workspaces/jaffle-shop-classic/target'),
  jaffleShop: path.join(repo, 'demo/workspaces/jaffle-shop/target'),
  /** 4,122 nodes, generated on first use. */
  get synthetic() {
    return syntheticProjectDir();
  },
};

/**
 * The run_results.json each fixture is read with. The demo workspaces' own are rewritten by every demo run
 * (`demo/bin/dbt-simulate.ts`), so the classic project uses the read-only original it was copied from.
 */
export const runResultsFiles: Record<keyof typeof artifactDirs, string> = {
  classic: path.join(fixtureDataDir, 'jaffle_shop_classic_elementary_dbt1.9/run_results.json'),
  jaffleShop: path.join(fixtureDataDir, 'jaffle_shop_v12_dbt1.12/run_results.json'),
  get synthetic() {
    return path.join(syntheticProjectDir(), 'run_results.json');
  },
};

/** The index of one of `artifactDirs`, from its manifest.json and the fixed run_results.json. */
export function fixtureIndex(dir: keyof typeof artifactDirs) {
  return readManifestIndex(path.join(artifactDirs[dir], 'manifest.json'), runResultsFiles[dir]);
}

/** The project graph of one of `artifactDirs`. */
export function fixtureGraph(dir: keyof typeof artifactDirs): ProjectGraph {
  return buildProjectGraph(fixtureIndex(dir));
}

/** `model.jaffle_shop.<name>`: ids of the classic demo project. */
export const classic = (name: string, type = 'model') => `${type}.jaffle_shop.${name}`;
