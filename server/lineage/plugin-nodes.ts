import {
  LineageAdditions,
  type LineageNode,
  type LineageOverlayProblem,
} from '@dbt-workbench/plugin-sdk/contracts/lineage.schema';
import { createHookPoint, type HookPoint } from '../hooks/hook-point.ts';
import type { ProjectGraph } from './graph.ts';

/** What a `lineageNodes` handler gets: the workspace whose lineage is being drawn. */
export interface LineageNodesPayload {
  workspace: string;
}

/**
 * Plugins' nodes and edges (`modify-lineage`): added to a copy of each workspace's graph before selection, so they
 * are drawn, searched and picked by selectors like the project's own. A handler's answer is checked
 * (`LineageAdditions`); an invalid one is left out and reported as the owner's problem.
 */
export type LineageNodesHook = HookPoint<LineageNodesPayload, unknown>;

export function createLineageNodesHook(): LineageNodesHook {
  return createHookPoint<LineageNodesPayload, unknown>('lineageNodes');
}

/** One plugin's checked additions. */
export interface OwnedAdditions {
  owner: string;
  additions: LineageAdditions;
}

/** A plugin node's id: `<resourceType>.<plugin>.<id>`, so it never takes a project node's place. Pure. */
export const pluginNodeId = (plugin: string, node: { id: string; resourceType: string }) =>
  `${node.resourceType}.${plugin}.${node.id}`;

/** Runs the handlers within `timeoutMs` together; keeps the valid answers, reports the rest. */
export async function collectAdditions(
  hook: LineageNodesHook,
  workspace: string,
  timeoutMs: number,
): Promise<{ additions: OwnedAdditions[]; problems: LineageOverlayProblem[] }> {
  if (hook.size() === 0) return { additions: [], problems: [] };
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<null>((resolve) => {
    timer = setTimeout(() => resolve(null), timeoutMs);
  });
  const outcomes = await Promise.race([hook.run({ workspace }), late]).finally(() => clearTimeout(timer));
  if (!outcomes)
    return {
      additions: [],
      problems: [{ owner: '(all handlers)', message: `Lineage nodes did not come within ${timeoutMs} ms; left out` }],
    };
  const additions: OwnedAdditions[] = [];
  const problems: LineageOverlayProblem[] = [];
  for (const outcome of outcomes) {
    if (!outcome.ok) {
      problems.push({ owner: outcome.owner, message: `Its lineage nodes failed: ${outcome.error ?? 'unknown error'}` });
      continue;
    }
    if (outcome.result === undefined || outcome.result === null) continue;
    const parsed = LineageAdditions.safeParse(outcome.result);
    if (!parsed.success) {
      const details = parsed.error.issues.slice(0, 3).map((i) => `${i.path.join('.') || '(answer)'}: ${i.message}`);
      problems.push({ owner: outcome.owner, message: `Its lineage nodes are invalid: ${details.join('; ')}` });
      continue;
    }
    additions.push({ owner: outcome.owner, additions: parsed.data });
  }
  return { additions, problems };
}

/**
 * A copy of `graph` with the plugins' nodes and edges. An edge names project nodes by unique id and the plugin's
 * own nodes by their `id`; one whose ends are not in the graph is left out and counted in `problems`. Pure.
 */
export function extendGraph(
  graph: ProjectGraph,
  additions: readonly OwnedAdditions[],
): { graph: ProjectGraph; problems: LineageOverlayProblem[] } {
  if (additions.length === 0) return { graph, problems: [] };
  const nodes = new Map(graph.nodes);
  const parents = new Map(graph.parents);
  const children = new Map(graph.children);
  const typeCounts = new Map(graph.types.map((t) => [t.resourceType, t.count]));
  const problems: LineageOverlayProblem[] = [];
  for (const { owner, additions: added } of additions) {
    const own = new Map<string, string>();
    for (const node of added.nodes) {
      const id = pluginNodeId(owner, node);
      own.set(node.id, id);
      if (nodes.has(id)) continue;
      const drawn: LineageNode = {
        id,
        name: node.name,
        resourceType: node.resourceType,
        package: owner,
        materialization: null,
        status: null,
        testCount: 0,
        testFailures: 0,
        tags: node.tags,
        plugin: owner,
        ...(node.description ? { description: node.description } : {}),
      };
      nodes.set(id, drawn);
      parents.set(id, []);
      children.set(id, []);
      typeCounts.set(node.resourceType, (typeCounts.get(node.resourceType) ?? 0) + 1);
    }
    let dropped = 0;
    for (const edge of added.edges) {
      const source = own.get(edge.source) ?? edge.source;
      const target = own.get(edge.target) ?? edge.target;
      if (source === target || !nodes.has(source) || !nodes.has(target)) {
        dropped += 1;
        continue;
      }
      if (!children.get(source)!.includes(target)) children.set(source, [...children.get(source)!, target].sort());
      if (!parents.get(target)!.includes(source)) parents.set(target, [...parents.get(target)!, source].sort());
    }
    if (dropped > 0)
      problems.push({
        owner,
        message: `${dropped} of its lineage edges name nodes that are not in the graph; left out`,
      });
  }
  return {
    graph: {
      nodes,
      parents,
      children,
      types: [...typeCounts]
        .map(([resourceType, count]) => ({ resourceType, count }))
        .sort((a, b) => b.count - a.count || a.resourceType.localeCompare(b.resourceType)),
    },
    problems,
  };
}
