import type { CatalogNode } from '@dbt-workbench/plugin-sdk/contracts/catalog.schema';
import type { CatalogService, ProjectIndex } from '../catalog/index.ts';
import type { IndexNode } from './graph.ts';
import type { LineageIndexSource } from './service.ts';

/** A catalog node in the lineage's shape: its nested tests carry their normalised last status. */
export function fromCatalogNode(node: CatalogNode): IndexNode {
  return {
    uniqueId: node.uniqueId,
    resourceType: node.resourceType,
    name: node.name,
    packageName: node.packageName,
    tags: node.tags,
    materialization: node.materialization,
    status: node.lastRun?.status ?? null,
    description: node.description,
    parents: node.parents,
    children: node.children,
    tests: node.tests,
  };
}

/**
 * The lineage's view of the catalog's artifact stores. Each catalog index is converted once (the catalog builds
 * a new, frozen index on every reload), so the lineage builds its graph once per load too.
 */
export function catalogIndexSource(catalog: CatalogService): LineageIndexSource {
  const converted = new WeakMap<ProjectIndex, IndexNode[]>();
  return {
    index(workspace) {
      const index = catalog.store(workspace)?.index();
      if (!index || index.builtAt === null) return null;
      let nodes = converted.get(index);
      if (!nodes) {
        nodes = index.list.map(fromCatalogNode);
        converted.set(index, nodes);
      }
      return nodes;
    },
    missingReason(workspace) {
      const store = catalog.store(workspace);
      if (!store) return 'The catalog has not loaded it.';
      const status = store.status();
      if (status.state === 'loading') return 'Its artifacts are still loading; try again in a moment.';
      return status.message ?? undefined;
    },
  };
}
