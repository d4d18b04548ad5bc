// The catalog's public surface for other features (lineage, plugin runtime, dashboard): import from here.
export type { ArtifactStore, ArtifactStoreOptions } from './artifact-store.ts';
export { createArtifactStore } from './artifact-store.ts';
export type { ParsedCatalog, ParsedManifest, ParsedRunResults, ParseOutcome } from './artifacts/parse.ts';
export { parseCatalog, parseManifest, parseRunResults } from './artifacts/parse.ts';
export { createCatalogFeature } from './feature.ts';
export type {
  ArtifactLoadHook,
  ArtifactLoadPayload,
  CatalogHooks,
  CatalogRefreshHook,
  CatalogRefreshPayload,
} from './hooks.ts';
export type { ProjectIndex, RunInfo } from './project/project-index.ts';
export { ArtifactPatch } from './patches.ts';
export type { CatalogService, CatalogServiceOptions } from './service.ts';
export { createCatalogService } from './service.ts';
export { nodeRef, summarize, testCounts } from './views.ts';
export type {
  CatalogSearchIndex,
  ExtensionSearchDocument,
  SearchIndexBuildHook,
  SearchIndexBuildPayload,
} from '../search/search-index.ts';
