import {
  CATALOG_RESOURCE_TYPES,
  type CatalogNode,
  type CatalogStatus,
  type CatalogSummary,
  type CatalogTest,
  type ModelList,
  type ModelListQuery,
  type NodeDetail,
  type NodeRef,
  type NodeSummary,
  type TestCounts,
} from '@dbt-workbench/plugin-sdk/contracts/catalog.schema';
import type { ProjectIndex } from './project/project-index.ts';

// Pure functions from an index to the catalog's HTTP bodies.

/** How many tests ended in each status. */
export function testCounts(tests: readonly Pick<CatalogTest, 'status'>[]): TestCounts {
  const counts: TestCounts = { total: 0, pass: 0, fail: 0, warn: 0, error: 0, skipped: 0, notRun: 0 };
  for (const test of tests) {
    counts.total += 1;
    if (test.status === 'not-run') counts.notRun += 1;
    else counts[test.status] += 1;
  }
  return counts;
}

/** A node as one row of the models list. */
export function summarize(node: CatalogNode): NodeSummary {
  return {
    uniqueId: node.uniqueId,
    resourceType: node.resourceType,
    name: node.name,
    packageName: node.packageName,
    description: node.description,
    path: node.path,
    tags: node.tags,
    materialization: node.materialization,
    database: node.database,
    schema: node.schema,
    relation: node.relation,
    owner: node.owner,
    access: node.access,
    version: node.version,
    columnCount: node.columns.length,
    tests: testCounts(node.tests),
    lastRun: node.lastRun,
  };
}

/** A neighbour as upstream/downstream lists show it; ids the index does not hold keep their id as name. */
export function nodeRef(index: ProjectIndex, uniqueId: string): NodeRef {
  const node = index.nodes.get(uniqueId);
  return {
    uniqueId,
    resourceType: node?.resourceType ?? uniqueId.split('.')[0] ?? 'unknown',
    name: node?.name ?? uniqueId,
    lastRunStatus: node?.lastRun?.status ?? null,
  };
}

/** `GET nodes/:uniqueId`. */
export function nodeDetail(index: ProjectIndex, node: CatalogNode): NodeDetail {
  return {
    ...node,
    upstream: node.parents.map((id) => nodeRef(index, id)),
    downstream: node.children.map((id) => nodeRef(index, id)),
  };
}

/** The resource types a `resourceType` filter names; `all` is every type. Unknown names are returned apart. */
export function parseResourceTypes(text: string | undefined): { types: Set<string>; unknown: string[] } {
  const names = (text ?? '')
    .split(',')
    .map((t) => t.trim())
    .filter(Boolean);
  if (names.length === 0) return { types: new Set(['model']), unknown: [] };
  if (names.includes('all')) return { types: new Set(CATALOG_RESOURCE_TYPES), unknown: [] };
  const known: ReadonlySet<string> = new Set(CATALOG_RESOURCE_TYPES);
  return { types: new Set(names.filter((n) => known.has(n))), unknown: names.filter((n) => !known.has(n)) };
}

function matchesText(node: CatalogNode, needle: string): boolean {
  return (
    node.name.toLowerCase().includes(needle) ||
    node.uniqueId.toLowerCase().includes(needle) ||
    node.description.toLowerCase().includes(needle) ||
    (node.relation?.toLowerCase().includes(needle) ?? false) ||
    (node.path?.toLowerCase().includes(needle) ?? false) ||
    node.tags.some((t) => t.toLowerCase().includes(needle))
  );
}

const sorted = (values: Iterable<string>) => [...new Set(values)].sort((a, b) => a.localeCompare(b));

/** `GET models`: nodes of the asked types passing every filter, by name; facets span the types' nodes. */
export function listNodes(index: ProjectIndex, query: ModelListQuery, types: ReadonlySet<string>): ModelList {
  const ofTypes = index.list.filter((node) => types.has(node.resourceType));
  const needle = query.q?.toLowerCase();
  const items = ofTypes
    .filter(
      (node) =>
        (!needle || matchesText(node, needle)) &&
        (!query.tag || node.tags.includes(query.tag)) &&
        (!query.materialization || node.materialization === query.materialization) &&
        (!query.status || (node.lastRun?.status ?? 'not-run') === query.status),
    )
    .sort((a, b) => a.name.localeCompare(b.name) || a.uniqueId.localeCompare(b.uniqueId))
    .map(summarize);
  return {
    items,
    total: items.length,
    facets: {
      tags: sorted(ofTypes.flatMap((n) => n.tags)),
      materializations: sorted(ofTypes.flatMap((n) => (n.materialization ? [n.materialization] : []))),
      statuses: sorted(ofTypes.map((n) => n.lastRun?.status ?? 'not-run')),
    },
  };
}

const builtTypes: ReadonlySet<string> = new Set(['model', 'seed', 'snapshot']);

/** `GET catalog/summary`. */
export function catalogSummary(index: ProjectIndex, status: CatalogStatus): CatalogSummary {
  const counts: Record<string, number> = {};
  const runs: Record<string, number> = {};
  for (const node of index.list) {
    counts[node.resourceType] = (counts[node.resourceType] ?? 0) + 1;
    if (builtTypes.has(node.resourceType)) {
      const run = node.lastRun?.status ?? 'not-run';
      runs[run] = (runs[run] ?? 0) + 1;
    }
  }
  const tests = [...index.tests.values()];
  for (const test of tests) {
    const type = test.kind === 'unit' ? 'unit_test' : 'test';
    counts[type] = (counts[type] ?? 0) + 1;
  }
  return {
    workspace: index.workspace,
    loadedAt: index.builtAt,
    counts,
    tests: testCounts(tests),
    runs,
    lastRunAt: index.run?.generatedAt ?? null,
    lastRunElapsedSeconds: index.run?.elapsedSeconds ?? null,
    errors: status.errors,
  };
}
