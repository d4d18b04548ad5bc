import { createHookPoint, type HookPoint } from '../hooks/hook-point.ts';
import type { SearchIndexBuildHook } from '../search/search-index.ts';
import { createSearchIndexBuildHook } from '../search/search-index.ts';
import type { ProjectIndex } from './project/project-index.ts';
import type { ArtifactPatch } from './patches.ts';

/** What `artifactLoad` handlers get: the freshly built index of one workspace, frozen. */
export interface ArtifactLoadPayload {
  workspace: string;
  index: ProjectIndex;
}

/**
 * Runs after each artifact load, before the index is served. Handlers read the (frozen) index and may return
 * small patches; the store puts each patch's `fields` under `extensions[<handler owner>]` of the node or
 * column it names. The manifest itself is never changed. A handler that throws is recorded in the status and
 * the load goes on without its patches.
 *
 * @example
 * catalog.hooks.artifactLoad.register({
 *   owner: 'pii-tagger',
 *   handle: ({ index }) =>
 *     index.list.flatMap((node) =>
 *       node.columns.filter((c) => /email/.test(c.name)).map((c) => ({ uniqueId: node.uniqueId, column: c.name, fields: { pii: true } })),
 *     ),
 * });
 */
export type ArtifactLoadHook = HookPoint<ArtifactLoadPayload, readonly ArtifactPatch[] | void>;

/** What `catalogRefresh` handlers get once a new index and its search index are being served. */
export interface CatalogRefreshPayload {
  workspace: string;
  index: ProjectIndex;
  /** Documents in the rebuilt search index. */
  searchDocuments: number;
  /** `load`: artifact files changed on disk; `rebuild`: the same files were indexed again (an extension changed). */
  reason: 'load' | 'rebuild';
}

/** Runs after the index and the search index were rebuilt and are served. Results are ignored. */
export type CatalogRefreshHook = HookPoint<CatalogRefreshPayload, void>;

/** The catalog's seams, shared by every workspace's store (the payload names the workspace). */
export interface CatalogHooks {
  readonly artifactLoad: ArtifactLoadHook;
  readonly searchIndexBuild: SearchIndexBuildHook;
  readonly catalogRefresh: CatalogRefreshHook;
}

/** Creates the three catalog hook points; `createCatalogService` does this once. */
export function createCatalogHooks(): CatalogHooks {
  return {
    // Enrichers patch only their own `extensions[<owner>]` and never see each other's patches: they run at once.
    artifactLoad: createHookPoint('artifactLoad', { concurrent: true }),
    searchIndexBuild: createSearchIndexBuildHook(),
    catalogRefresh: createHookPoint('catalogRefresh'),
  };
}
