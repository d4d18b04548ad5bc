import type { LineageGraph, LineageQuery, LineageSearchHit } from '@dbt-workbench/plugin-sdk/contracts/lineage.schema';
import { HttpError } from '../http/errors.ts';
import { buildProjectGraph, drawnResourceTypes, type IndexNode, type ProjectGraph } from './graph.ts';
import { collectOverlays, createLineageBuildHook, overlayTimeoutMs, type LineageBuildHook } from './overlays.ts';
import { collectAdditions, createLineageNodesHook, extendGraph, type LineageNodesHook } from './plugin-nodes.ts';
import { selectSubgraph } from './select.ts';
import { parseSelector } from './selector.ts';

/** Where the lineage reads a workspace's project index from (the catalog's artifact store in the app). */
export interface LineageIndexSource {
  /**
   * The index of a workspace's project, or null when it has no readable manifest yet. Returning the same
   * collection object until the artifacts change lets the lineage build its graph once per load.
   */
  index(workspace: string): Promise<Iterable<IndexNode> | null> | Iterable<IndexNode> | null;
  /** Why a workspace has no index, in a sentence for the message the user sees. */
  missingReason?(workspace: string): string | undefined;
}

/** The lineage of every workspace, with its `lineageBuild` hook point for overlays. Created once in features.ts. */
export interface LineageService {
  /** Handlers get a frozen copy of each answer's nodes and edges and return overlays (badges, notes, edges). */
  readonly lineageBuild: LineageBuildHook;
  /** Handlers add nodes and edges (plugins' exposures...) to a copy of each workspace's graph, before selection. */
  readonly lineageNodes: LineageNodesHook;
  /** The subgraph a `GET .../lineage` asks for. Throws HttpError 404 for an unknown focus, 400 for a bad selector. */
  graph(workspace: string, query: LineageQuery, options?: { overlays?: boolean }): Promise<LineageGraph>;
  /** Drawn nodes whose name or id contains `text`, exact and prefix matches first. */
  search(workspace: string, text: string, limit?: number): Promise<LineageSearchHit[]>;
}

export interface LineageServiceOptions {
  source: LineageIndexSource;
  /** How long the `lineageBuild` handlers of one request may take together; 5 s by default. */
  overlayTimeoutMs?: number;
}

/** Splits `model, source` into known type names; an unknown one is a 400 naming it. */
export function parseTypes(text: string | undefined): string[] | undefined {
  if (text === undefined || text.trim() === '') return undefined;
  const types = [
    ...new Set(
      text
        .split(',')
        .map((t) => t.trim())
        .filter(Boolean),
    ),
  ];
  const unknown = types.filter((t) => !drawnResourceTypes.has(t));
  if (unknown.length > 0) {
    throw new HttpError(
      'bad_request',
      `types: the lineage cannot draw ${unknown.map((t) => `"${t}"`).join(', ')}; use ${[...drawnResourceTypes].join(', ')}`,
    );
  }
  return types;
}

export function createLineageService(serviceOptions: LineageServiceOptions): LineageService {
  const lineageBuild = createLineageBuildHook();
  const lineageNodes = createLineageNodesHook();
  // The last extension of each project graph, reused while the plugins answer the same additions.
  const extended = new WeakMap<ProjectGraph, { key: string } & ReturnType<typeof extendGraph>>();
  // One graph per index object: a reloaded index is a new object, so a stale graph is never served.
  const graphs = new WeakMap<object, ProjectGraph>();

  async function projectGraph(workspace: string): Promise<ProjectGraph> {
    const index = await serviceOptions.source.index(workspace);
    if (!index) {
      const reason =
        serviceOptions.source.missingReason?.(workspace) ??
        'Its target/ folder has no manifest.json yet: run dbt (or dbt docs generate) in the project first.';
      throw new HttpError('not_found', `No lineage for workspace "${workspace}". ${reason}`);
    }
    const cached = graphs.get(index);
    if (cached) return cached;
    const graph = buildProjectGraph(index);
    graphs.set(index, graph);
    return graph;
  }

  /** The project's graph with the plugins' nodes and edges, and the problems of those that were left out. */
  async function workspaceGraph(workspace: string) {
    const base = await projectGraph(workspace);
    const timeoutMs = serviceOptions.overlayTimeoutMs ?? overlayTimeoutMs;
    const { additions, problems } = await collectAdditions(lineageNodes, workspace, timeoutMs);
    const key = JSON.stringify(additions);
    let cached = extended.get(base);
    if (cached?.key !== key) extended.set(base, (cached = { key, ...extendGraph(base, additions) }));
    return { graph: cached.graph, problems: [...problems, ...cached.problems] };
  }

  return {
    lineageBuild,
    lineageNodes,

    async graph(workspace, query, options = {}) {
      // A backend reading the lineage (`host.data.lineage`) gets the project's graph: no plugin's additions.
      const { graph, problems: added } =
        options.overlays === false
          ? { graph: await projectGraph(workspace), problems: [] }
          : await workspaceGraph(workspace);
      if (query.focus && !graph.nodes.has(query.focus)) {
        throw new HttpError(
          'not_found',
          `No node "${query.focus}" in the lineage of ${workspace}; focus on a model, source, seed, snapshot, exposure or metric by its unique id`,
        );
      }
      let selector;
      if (query.select) {
        const parsed = parseSelector(query.select);
        if (!parsed.ok) throw new HttpError('bad_request', parsed.problems.join('; '), { problems: parsed.problems });
        selector = parsed.selector;
      }
      const selection = selectSubgraph(graph, {
        focus: query.focus,
        up: query.up,
        down: query.down,
        selector,
        types: parseTypes(query.types),
        limit: query.limit,
      });
      const focus = query.focus ?? null;
      const { overlays, problems } =
        options.overlays === false
          ? { overlays: {}, problems: [] }
          : await collectOverlays(
              lineageBuild,
              { workspace, focus, nodes: selection.nodes, edges: selection.edges },
              serviceOptions.overlayTimeoutMs,
            );
      return {
        workspace,
        focus,
        nodes: selection.nodes,
        edges: selection.edges,
        overlays,
        overlayProblems: [...added, ...problems],
        truncated: selection.truncated,
        total: selection.total,
        tooLarge: selection.tooLarge,
        ...(selection.message ? { message: selection.message } : {}),
        types: [...graph.types],
      };
    },

    async search(workspace, text, limit = 20) {
      const { graph } = await workspaceGraph(workspace);
      const needle = text.trim().toLowerCase();
      if (!needle) return [];
      const score = (name: string) => (name === needle ? 0 : name.startsWith(needle) ? 1 : 2);
      return [...graph.nodes.values()]
        .filter((n) => n.name.toLowerCase().includes(needle) || n.id.toLowerCase().includes(needle))
        .sort(
          (a, b) =>
            score(a.name.toLowerCase()) - score(b.name.toLowerCase()) ||
            a.name.length - b.name.length ||
            a.id.localeCompare(b.id),
        )
        .slice(0, limit)
        .map((n) => ({ id: n.id, name: n.name, resourceType: n.resourceType }));
    },
  };
}
