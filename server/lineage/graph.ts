import type { LineageNode, LineageTypeCount } from '@dbt-workbench/plugin-sdk/contracts/lineage.schema';

/**
 * The least the lineage needs to know about one node of a project's index. The catalog's index entries carry
 * these fields (see `fromCatalogIndex` in `source.ts`); tests build them straight from a manifest.
 */
export interface IndexNode {
  uniqueId: string;
  resourceType: string;
  name: string;
  packageName?: string;
  tags?: readonly string[];
  materialization?: string | null;
  /** Last run status from run_results, if any. */
  status?: string | null;
  description?: string | null;
  parents: readonly string[];
  children: readonly string[];
  /** For a test: the node it is defined on (`attached_node`); its other parents are only referenced. */
  attachedNode?: string | null;
  /** Tests already attached to this node, when the index nests them instead of listing test nodes. */
  tests?: readonly { status: string }[];
}

/** Resource types that are drawn as nodes. Tests and operations are not: tests are counted on the node they test. */
export const drawnResourceTypes: ReadonlySet<string> = new Set([
  'model',
  'seed',
  'snapshot',
  'source',
  'exposure',
  'metric',
  'semantic_model',
  'saved_query',
  'analysis',
  'function',
]);

const testResourceTypes: ReadonlySet<string> = new Set(['test', 'unit_test']);
const failedTestStatuses: ReadonlySet<string> = new Set(['fail', 'error']);

/** Longest description kept on a node; the detail pages have the whole text. */
const maxDescription = 280;

/** The drawable graph of one project, built once per index and shared (read-only) by every request. */
export interface ProjectGraph {
  nodes: ReadonlyMap<string, LineageNode>;
  /** Drawn parents of each drawn node, sorted. */
  parents: ReadonlyMap<string, readonly string[]>;
  /** Drawn children of each drawn node, sorted. */
  children: ReadonlyMap<string, readonly string[]>;
  /** Every resource type of the index (tests included) with its count, most frequent first. */
  types: readonly LineageTypeCount[];
}

function shorten(text: string | null | undefined): string | undefined {
  const trimmed = text?.trim();
  if (!trimmed) return undefined;
  return trimmed.length > maxDescription ? `${trimmed.slice(0, maxDescription - 1)}…` : trimmed;
}

function toLineageNode(node: IndexNode): LineageNode {
  const description = shorten(node.description);
  const tests = node.tests ?? [];
  return {
    id: node.uniqueId,
    name: node.name,
    resourceType: node.resourceType,
    package: node.packageName ?? node.uniqueId.split('.')[1] ?? '',
    materialization: node.materialization ?? null,
    status: node.status ?? null,
    testCount: tests.length,
    testFailures: tests.filter((t) => failedTestStatuses.has(t.status)).length,
    tags: [...(node.tags ?? [])],
    ...(description ? { description } : {}),
  };
}

/** Where a test's count goes: the node it is defined on, or every drawn node it depends on. */
function testedNodes(test: IndexNode, drawn: ReadonlyMap<string, LineageNode>): string[] {
  if (test.attachedNode && drawn.has(test.attachedNode)) return [test.attachedNode];
  return [...new Set(test.parents)].filter((id) => drawn.has(id));
}

/**
 * Builds the drawable graph from a project index: models, seeds, snapshots, sources, exposures, metrics,
 * semantic models and the rest of `drawnResourceTypes`, with edges from both parent and child lists. Tests are
 * counted on the node they test, failures from their last status. The index is only read, never changed.
 */
export function buildProjectGraph(index: Iterable<IndexNode>): ProjectGraph {
  const all = [...index];
  const nodes = new Map<string, LineageNode>();
  const typeCounts = new Map<string, number>();
  for (const node of all) {
    typeCounts.set(node.resourceType, (typeCounts.get(node.resourceType) ?? 0) + 1);
    if (drawnResourceTypes.has(node.resourceType)) nodes.set(node.uniqueId, toLineageNode(node));
  }

  const parents = new Map<string, Set<string>>();
  const children = new Map<string, Set<string>>();
  for (const id of nodes.keys()) {
    parents.set(id, new Set());
    children.set(id, new Set());
  }
  const link = (from: string, to: string) => {
    if (from === to || !nodes.has(from) || !nodes.has(to)) return;
    children.get(from)?.add(to);
    parents.get(to)?.add(from);
  };

  for (const node of all) {
    if (nodes.has(node.uniqueId)) {
      for (const parent of node.parents) link(parent, node.uniqueId);
      for (const child of node.children) link(node.uniqueId, child);
    } else if (testResourceTypes.has(node.resourceType)) {
      const failed = failedTestStatuses.has(node.status ?? '');
      for (const id of testedNodes(node, nodes)) {
        const tested = nodes.get(id);
        if (!tested) continue;
        tested.testCount += 1;
        if (failed) tested.testFailures += 1;
      }
    }
  }

  const sorted = (map: Map<string, Set<string>>) =>
    new Map([...map].map(([id, set]) => [id, [...set].sort()] as const));
  return {
    nodes,
    parents: sorted(parents),
    children: sorted(children),
    types: [...typeCounts]
      .map(([resourceType, count]) => ({ resourceType, count }))
      .sort((a, b) => b.count - a.count || a.resourceType.localeCompare(b.resourceType)),
  };
}

/**
 * Nodes within `levels` steps of `start` along `next` (parents or children), each with its distance.
 * `levels` may be Infinity. The start itself is at distance 0.
 */
export function walk(
  start: Iterable<string>,
  next: ReadonlyMap<string, readonly string[]>,
  levels: number,
): Map<string, number> {
  const distance = new Map<string, number>();
  let frontier: string[] = [];
  for (const id of start) {
    if (distance.has(id)) continue;
    distance.set(id, 0);
    frontier.push(id);
  }
  for (let depth = 1; depth <= levels && frontier.length > 0; depth++) {
    const following: string[] = [];
    for (const id of frontier) {
      for (const neighbour of next.get(id) ?? []) {
        if (distance.has(neighbour)) continue;
        distance.set(neighbour, depth);
        following.push(neighbour);
      }
    }
    frontier = following;
  }
  return distance;
}
