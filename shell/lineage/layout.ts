import { nodeSize } from './geometry.ts';

export { nodeSize };

export interface LayoutInput {
  nodes: { id: string }[];
  edges: { source: string; target: string }[];
}

/** Top-left corner of each node. */
export type Positions = Record<string, { x: number; y: number }>;

/** Gaps between drawn nodes, in flow units: between layers (columns) and between nodes of one layer. */
export const layoutGaps = { layer: 90, node: 22 } as const;

/** Ordering sweeps and placement passes: enough to settle a dbt project; each is linear in nodes and edges. */
const orderSweeps = 8;
const placePasses = 6;

interface Graph {
  size: number;
  parents: number[][];
  children: number[][];
}

/** The graph by index, without self-loops, duplicate edges or edges to unknown nodes. */
function indexGraph(input: LayoutInput): { ids: string[]; graph: Graph } {
  const ids = input.nodes.map((n) => n.id);
  const index = new Map(ids.map((id, i) => [id, i]));
  const parents: number[][] = ids.map(() => []);
  const children: number[][] = ids.map(() => []);
  const seen = new Set<string>();
  for (const edge of input.edges) {
    const from = index.get(edge.source);
    const to = index.get(edge.target);
    const key = `${from}>${to}`;
    if (from === undefined || to === undefined || from === to || seen.has(key)) continue;
    seen.add(key);
    children[from]!.push(to);
    parents[to]!.push(from);
  }
  return { ids, graph: { size: ids.length, parents, children } };
}

/**
 * Nodes in topological order, found by depth-first search; an edge that closes a cycle (possible once plugins add
 * edges) is left out of the order and of the layering, so cycles still lay out.
 */
function acyclicOrder(graph: Graph): { order: number[]; back: Set<string> } {
  const state = new Uint8Array(graph.size); // 0 new, 1 on the stack, 2 done
  const back = new Set<string>();
  const post: number[] = [];
  for (let root = 0; root < graph.size; root++) {
    if (state[root] !== 0 || graph.parents[root]!.length > 0) continue;
    visit(root);
  }
  for (let root = 0; root < graph.size; root++) if (state[root] === 0) visit(root);
  return { order: post.reverse(), back };

  function visit(root: number) {
    const stack: [number, number][] = [[root, 0]];
    state[root] = 1;
    while (stack.length > 0) {
      const top = stack[stack.length - 1]!;
      const [node, next] = top;
      const kids = graph.children[node]!;
      if (next < kids.length) {
        top[1] = next + 1;
        const child = kids[next]!;
        if (state[child] === 1) back.add(`${node}>${child}`);
        else if (state[child] === 0) {
          state[child] = 1;
          stack.push([child, 0]);
        }
      } else {
        state[node] = 2;
        post.push(node);
        stack.pop();
      }
    }
  }
}

/**
 * Layer (column) of each node: the longest path from a root, so every edge points right. A root then moves
 * next to its nearest child, so a source read only by a mart sits beside it, not in the first column.
 */
function assignLayers(graph: Graph, order: number[], back: Set<string>): number[] {
  const layer = new Array<number>(graph.size).fill(0);
  const forward = (from: number, to: number) => !back.has(`${from}>${to}`);
  for (const node of order) {
    for (const parent of graph.parents[node]!) {
      if (forward(parent, node)) layer[node] = Math.max(layer[node]!, layer[parent]! + 1);
    }
  }
  for (const node of order) {
    const kids = graph.children[node]!.filter((child) => forward(node, child));
    if (graph.parents[node]!.length === 0 && kids.length > 0) {
      layer[node] = Math.min(...kids.map((child) => layer[child]!)) - 1;
    }
  }
  return layer;
}

/** Mean of `values`, or `fallback` when there are none. */
function mean(values: number[], fallback: number): number {
  if (values.length === 0) return fallback;
  let sum = 0;
  for (const v of values) sum += v;
  return sum / values.length;
}

/**
 * Orders the nodes of each layer to keep edges short and uncrossed: alternate sweeps sort each layer by the mean
 * relative position (0..1) of its neighbours in the layers already placed (the barycenter heuristic).
 */
function orderLayers(graph: Graph, layers: number[][]): void {
  const rank = new Float64Array(graph.size);
  const setRanks = (nodes: number[]) => nodes.forEach((n, i) => (rank[n] = (i + 0.5) / nodes.length));
  layers.forEach(setRanks);
  for (let sweep = 0; sweep < orderSweeps; sweep++) {
    const down = sweep % 2 === 0;
    const sequence = down ? layers : [...layers].reverse();
    for (const nodes of sequence) {
      const key = new Map<number, number>();
      for (const n of nodes) {
        const near = (down ? graph.parents[n]! : graph.children[n]!).map((m) => rank[m]!);
        key.set(n, mean(near, rank[n]!));
      }
      nodes.sort((a, b) => key.get(a)! - key.get(b)! || rank[a]! - rank[b]!);
      setRanks(nodes);
    }
  }
}

/**
 * Positions closest (least squares) to `wanted`, in the same order, at least `gap` apart: the pool-adjacent-
 * violators algorithm on `wanted[i] - i * gap`, which must be non-decreasing.
 */
export function packInOrder(wanted: number[], gap: number): number[] {
  const blocks: { sum: number; count: number }[] = [];
  wanted.forEach((value, i) => {
    blocks.push({ sum: value - i * gap, count: 1 });
    while (blocks.length > 1) {
      const last = blocks[blocks.length - 1]!;
      const before = blocks[blocks.length - 2]!;
      if (before.sum / before.count <= last.sum / last.count) break;
      before.sum += last.sum;
      before.count += last.count;
      blocks.pop();
    }
  });
  const out: number[] = [];
  for (const block of blocks) {
    for (let k = 0; k < block.count; k++) out.push(block.sum / block.count + out.length * gap);
  }
  return out;
}

/**
 * Lays a DAG out left to right (upstream left, downstream right) as layers of nodes: longest-path layering,
 * barycenter ordering, then each node as close as it can get to the mean height of its neighbours. Linear in
 * nodes and edges per pass: a 1,000-node project takes milliseconds, so it runs on the page's thread.
 */
export function computeLayout(input: LayoutInput): Positions {
  const { ids, graph } = indexGraph(input);
  const { order, back } = acyclicOrder(graph);
  const layerOf = assignLayers(graph, order, back);
  const layers: number[][] = [];
  for (const node of order) (layers[layerOf[node]!] ??= []).push(node);
  const columns = layers.filter((nodes) => nodes !== undefined);
  orderLayers(graph, columns);

  const step = nodeSize.height + layoutGaps.node;
  const y = new Float64Array(graph.size);
  for (const nodes of columns) nodes.forEach((n, i) => (y[n] = (i - (nodes.length - 1) / 2) * step));
  for (let pass = 0; pass < placePasses; pass++) {
    const down = pass % 2 === 0;
    for (const nodes of down ? columns : [...columns].reverse()) {
      const wanted = nodes.map((n) => {
        const near = [...graph.parents[n]!, ...graph.children[n]!].map((m) => y[m]!);
        return mean(near, y[n]!);
      });
      packInOrder(wanted, step).forEach((value, i) => (y[nodes[i]!] = value));
    }
  }

  let top = Infinity;
  for (const value of y) top = Math.min(top, value);
  const positions: Positions = {};
  columns.forEach((nodes, column) => {
    for (const n of nodes) {
      positions[ids[n]!] = { x: column * (nodeSize.width + layoutGaps.layer), y: y[n]! - top };
    }
  });
  return positions;
}
