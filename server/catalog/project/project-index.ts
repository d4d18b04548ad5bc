import type { CatalogNode, CatalogTest } from '@dbt-workbench/plugin-sdk/contracts/catalog.schema';

/** Facts about the run_results.json the index's statuses come from. */
export interface RunInfo {
  /** `metadata.generated_at`: when dbt wrote the results. */
  generatedAt: string | null;
  invocationId: string | null;
  elapsedSeconds: number | null;
}

/**
 * One workspace's dbt project as the catalog understands it, built from manifest.json, catalog.json and
 * run_results.json. Immutable: every object in it is frozen, and a reload builds a new index, so callers may
 * cache anything derived from an index by its identity (a `WeakMap` keyed by the index or by `list`).
 *
 * @example
 * const index = catalog.store('jaffle-shop').index();
 * const orders = index.nodes.get('model.jaffle_shop.orders');
 * const upstream = orders?.parents.map((id) => index.nodes.get(id)?.name);
 */
export interface ProjectIndex {
  readonly workspace: string;
  /** When this index was built (ISO time); null for the empty index served before any manifest loaded. */
  readonly builtAt: string | null;
  readonly projectName: string | null;
  readonly adapterType: string | null;
  /** Models, seeds, snapshots, sources, exposures, analyses, metrics, semantic models, saved queries, functions. */
  readonly nodes: ReadonlyMap<string, CatalogNode>;
  /** The same nodes as `nodes`, in manifest order: one stable array per index. */
  readonly list: readonly CatalogNode[];
  /** Data tests and unit tests, each attached to the nodes (and column) it tests. */
  readonly tests: ReadonlyMap<string, CatalogTest>;
  /**
   * Every unique id's parents as the manifest's `parent_map` has them (tests, metrics and all), or built from
   * `depends_on` when the manifest has no `parent_map`. `CatalogNode.parents` is this filtered to catalog nodes.
   */
  readonly parentMap: ReadonlyMap<string, readonly string[]>;
  /** Every unique id's children (`child_map`, or the inverse of `depends_on`). */
  readonly childMap: ReadonlyMap<string, readonly string[]>;
  /** Null when the workspace has no (readable) run_results.json. */
  readonly run: RunInfo | null;
}

/** The index served before a workspace's first manifest loads: no nodes, no tests. */
export function emptyIndex(workspace: string): ProjectIndex {
  return Object.freeze({
    workspace,
    builtAt: null,
    projectName: null,
    adapterType: null,
    nodes: new Map(),
    list: Object.freeze([]),
    tests: new Map(),
    parentMap: new Map(),
    childMap: new Map(),
    run: null,
  });
}

/** Freezes an object graph in place (plain objects and arrays), skipping what is frozen already. */
export function deepFreeze<T>(value: T): T {
  if (typeof value !== 'object' || value === null || Object.isFrozen(value)) return value;
  Object.freeze(value);
  if (Array.isArray(value)) {
    for (const item of value) deepFreeze(item);
  } else {
    for (const key of Object.keys(value)) deepFreeze((value as Record<string, unknown>)[key]);
  }
  return value;
}
