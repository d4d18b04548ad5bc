import {
  overviewResourceTypes,
  type LineageEdge,
  type LineageNode,
} from '@dbt-workbench/plugin-sdk/contracts/lineage.schema';
import { walk, type ProjectGraph } from './graph.ts';
import { evaluateSelector, type Selector } from './selector.ts';

/** What to cut out of a project graph. Every filter narrows; the focus node itself is always kept. */
export interface SelectOptions {
  focus?: string;
  up: number;
  down: number;
  selector?: Selector;
  /** Resource types to keep; without it all drawn types (or `overviewResourceTypes` in the whole-project view). */
  types?: readonly string[];
  limit: number;
}

/** A subgraph ready to send, before overlays. */
export interface Selection {
  nodes: LineageNode[];
  edges: LineageEdge[];
  truncated: boolean;
  total: number;
  tooLarge: boolean;
  message?: string;
}

function intersect(a: Map<string, number>, b: ReadonlyMap<string, number>): Map<string, number> {
  return new Map([...a].filter(([id]) => b.has(id)));
}

/**
 * Edges among `kept`, read from the whole graph. A path whose inner nodes were hidden only by the type filter
 * (`hidden`) becomes one edge, so filtering out semantic models still links a model to its metrics.
 */
export function edgesAmong(
  graph: ProjectGraph,
  kept: ReadonlySet<string>,
  hidden: ReadonlySet<string> = new Set(),
): LineageEdge[] {
  const edges: LineageEdge[] = [];
  for (const source of kept) {
    const seen = new Set<string>();
    const stack = [...(graph.children.get(source) ?? [])];
    while (stack.length > 0) {
      const id = stack.pop() as string;
      if (seen.has(id)) continue;
      seen.add(id);
      if (kept.has(id)) edges.push({ source, target: id });
      else if (hidden.has(id)) stack.push(...(graph.children.get(id) ?? []));
    }
  }
  return edges.sort((a, b) => a.source.localeCompare(b.source) || a.target.localeCompare(b.target));
}

/** A model name of this project for the examples in messages. */
function exampleName(graph: ProjectGraph): string {
  for (const node of graph.nodes.values()) if (node.resourceType === 'model') return node.name;
  return 'my_model';
}

function plural(count: number, word: string): string {
  return `${count.toLocaleString('en-US')} ${word}${count === 1 ? '' : 's'}`;
}

/**
 * Cuts a subgraph out of a project graph: the focus with `up` levels of ancestors and `down` of descendants,
 * narrowed by a selector and resource types, at most `limit` nodes (the nearest to the focus or to the
 * selected nodes are kept). Without focus and selector it is the whole-project view, which is refused with
 * `tooLarge` rather than cut when it does not fit. The caller checks that the focus exists.
 */
export function selectSubgraph(graph: ProjectGraph, options: SelectOptions): Selection {
  const { focus, selector } = options;
  const overview = !focus && !selector;
  let ranked: Map<string, number>;
  if (focus) {
    ranked = walk([focus], graph.parents, options.up);
    for (const [id, rank] of walk([focus], graph.children, options.down)) ranked.set(id, rank);
    if (selector) ranked = intersect(ranked, evaluateSelector(graph, selector));
  } else if (selector) {
    ranked = evaluateSelector(graph, selector);
  } else {
    ranked = new Map([...graph.nodes.keys()].map((id) => [id, 0]));
  }

  const types = new Set<string>(options.types ?? (overview ? overviewResourceTypes : []));
  const hidden = new Set<string>();
  if (options.types || overview) {
    for (const id of ranked.keys()) {
      const node = graph.nodes.get(id);
      if (id !== focus && node && !types.has(node.resourceType)) hidden.add(id);
    }
    for (const id of hidden) ranked.delete(id);
  }
  if (focus && graph.nodes.has(focus)) ranked.set(focus, 0);

  const total = ranked.size;
  if (total === 0) {
    return {
      nodes: [],
      edges: [],
      truncated: false,
      total,
      tooLarge: false,
      message: selector
        ? 'No node matches this selection. Check the selector and the resource types.'
        : 'Nothing to draw: the project has no nodes of the chosen resource types.',
    };
  }
  if (overview && total > options.limit) {
    return {
      nodes: [],
      edges: [],
      truncated: false,
      total,
      tooLarge: true,
      message: `The whole project has ${plural(total, 'node')}, more than the ${options.limit} that can be drawn at once. Focus on a node or type a selector such as +${exampleName(graph)} to see part of it.`,
    };
  }

  const ordered = [...ranked].sort((a, b) => a[1] - b[1] || a[0].localeCompare(b[0]));
  const truncated = ordered.length > options.limit;
  const keptIds = new Set(ordered.slice(0, options.limit).map(([id]) => id));
  const nodes = [...keptIds].map((id) => graph.nodes.get(id)).filter((n): n is LineageNode => n !== undefined);
  return {
    nodes,
    edges: edgesAmong(graph, keptIds, hidden),
    truncated,
    total,
    tooLarge: false,
    ...(truncated
      ? {
          message: `Showing the ${plural(nodes.length, 'node')} nearest to the ${focus ? 'focus' : 'selected nodes'} out of ${total.toLocaleString('en-US')}. Lower the levels or narrow the selection to see the rest.`,
        }
      : {}),
  };
}
