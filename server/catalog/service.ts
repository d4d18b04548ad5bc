import type { Logger } from 'pino';
import type { Workspace } from '../workspaces/config.ts';
import { createArtifactStore, type ArtifactStore, type ArtifactStoreOptions } from './artifact-store.ts';
import { createCatalogHooks, type CatalogHooks } from './hooks.ts';

/**
 * The catalog of every workspace: one artifact store each, and the hook points extensions register with.
 * Created once in `server/features.ts` and handed to the features that need it (catalog, lineage, plugins):
 *
 * @example
 * // server/features.ts
 * export const catalogService = createCatalogService();
 * export const features = [createCatalogFeature(catalogService), createLineageFeature(catalogService)];
 * // in a request handler of another feature
 * const index = catalogService.store(workspace.name)?.index();
 */
export interface CatalogService {
  /** `artifactLoad`, `searchIndexBuild` and `catalogRefresh`: register before or after start; payloads name the workspace. */
  readonly hooks: CatalogHooks;
  /** The store of a workspace, or undefined for a name that is not configured (or before `start`). */
  store(workspace: string): ArtifactStore | undefined;
  /** Every workspace's store, in configuration order. */
  stores(): readonly ArtifactStore[];
  /**
   * Rebuilds every store's index and search from the artifacts already read, running the hooks again. Call it
   * after registering or disposing a handler, so its enrichments and search documents appear or go.
   */
  rebuildAll(): Promise<void>;
  /** Creates the stores, loads each workspace's artifacts (resolving after the first load) and starts watching. */
  start(context: { workspaces: readonly Pick<Workspace, 'name' | 'targetDir'>[]; logger?: Logger }): Promise<void>;
  /** Starts the store of a workspace added, or pointed at another folder, while running (replacing its old store). */
  addWorkspace(workspace: Pick<Workspace, 'name' | 'targetDir'>): Promise<void>;
  /** Stops and drops the store of a workspace removed while running. */
  removeWorkspace(name: string): Promise<void>;
  /** Stops watching and waits for loads in progress. The service may be started again. */
  close(): Promise<void>;
}

/** Store options the service passes on (tests shorten the debounce or turn watching off). */
export type CatalogServiceOptions = Pick<ArtifactStoreOptions, 'debounceMs' | 'pollMs' | 'watch' | 'hookTimeoutMs'>;

/** Creates the catalog service (not started). Create one per app, in `server/features.ts`. */
export function createCatalogService(options: CatalogServiceOptions = {}): CatalogService {
  const hooks = createCatalogHooks();
  let stores = new Map<string, ArtifactStore>();
  let running = false;
  let log: Logger | undefined;

  return {
    hooks,
    store: (workspace) => stores.get(workspace),
    stores: () => [...stores.values()],
    async rebuildAll() {
      await Promise.all([...stores.values()].map((s) => s.rebuild()));
    },
    async start({ workspaces, logger }) {
      if (running) throw new Error('The catalog service is started already; close it first');
      running = true;
      log = logger;
      stores = new Map(
        workspaces.map((workspace) => [workspace.name, createArtifactStore({ ...options, workspace, hooks, logger })]),
      );
      // One after another: each first load parses big JSON on the main thread.
      for (const store of stores.values()) await store.start();
    },
    async addWorkspace(workspace) {
      if (!running) return;
      const store = createArtifactStore({ ...options, workspace, hooks, logger: log });
      const previous = stores.get(workspace.name);
      stores.set(workspace.name, store);
      await previous?.close();
      await store.start();
    },
    async removeWorkspace(name) {
      const store = stores.get(name);
      stores.delete(name);
      await store?.close();
    },
    async close() {
      await Promise.all([...stores.values()].map((s) => s.close()));
      running = false;
    },
  };
}
