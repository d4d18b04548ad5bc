import { z } from 'zod';

/** Hard bounds of a lineage request: levels up or down, and the most nodes one answer may hold. */
export const lineageLimits = {
  defaultLevels: 2,
  maxLevels: 50,
  defaultNodes: 400,
  maxNodes: 2000,
  /** Longest selector string accepted, in characters. */
  maxSelector: 1000,
} as const;

/** The resource types drawn in the whole-project view (no focus, no selector, no type filter). */
export const overviewResourceTypes = ['model', 'source', 'seed', 'snapshot', 'exposure'] as const;

const intParam = (name: string, min: number, max: number) =>
  z.coerce
    .number({ error: `${name} must be a whole number` })
    .int(`${name} must be a whole number`)
    .min(min, `${name} must be at least ${min}`)
    .max(max, `${name} must be at most ${max}`);

/**
 * The query of `GET /api/workspaces/:workspace/lineage`. Every filter narrows: the focus neighbourhood, the
 * selector and the resource types are intersected. Without focus and selector it is the whole-project view.
 */
export const LineageQuery = z.object({
  /** Unique id of the node to centre on, like `model.jaffle_shop.orders`. */
  focus: z.string().trim().min(1).optional(),
  /** Levels upstream of the focus (default 2). */
  up: intParam('up', 0, lineageLimits.maxLevels).default(lineageLimits.defaultLevels),
  /** Levels downstream of the focus (default 2). */
  down: intParam('down', 0, lineageLimits.maxLevels).default(lineageLimits.defaultLevels),
  /**
   * dbt-style selectors separated by spaces (union); commas inside one intersect: `+orders tag:nightly,customers+`.
   * In a URL, `+` must be written `%2B` (a bare `+` means a space), as `URLSearchParams` does.
   */
  select: z.string().trim().max(lineageLimits.maxSelector).optional(),
  /** Comma-separated resource types to keep, like `model,source`. */
  types: z.string().trim().optional(),
  /** The most nodes to return (default 400). */
  limit: intParam('limit', 1, lineageLimits.maxNodes).default(lineageLimits.defaultNodes),
});
export type LineageQuery = z.infer<typeof LineageQuery>;

/** A node of the lineage graph as the shell draws it. Tests are not nodes: they are counted on the node they test. */
export const LineageNode = z.object({
  id: z.string(),
  name: z.string(),
  resourceType: z.string(),
  package: z.string(),
  materialization: z.string().nullable(),
  /** Last run status from run_results (`success`, `error`, `skipped`, `pass`, `fail`, `warn`), null if never run. */
  status: z.string().nullable(),
  testCount: z.number().int(),
  /** Tests on this node whose last run failed or errored. */
  testFailures: z.number().int(),
  tags: z.array(z.string()),
  description: z.string().optional(),
  /** The plugin that added this node (`host.lineage.addNodes`); absent for the project's own nodes. */
  plugin: z.string().optional(),
});
export type LineageNode = z.infer<typeof LineageNode>;

/**
 * Nodes and edges a plugin adds to a workspace's lineage (`host.lineage.addNodes`, `modify-lineage`), drawn,
 * searched and selected like the project's own. A node's id becomes `<resourceType>.<plugin>.<id>`; an edge names
 * project nodes by unique id and the plugin's own nodes by their `id`.
 */
export const LineageAdditions = z.object({
  nodes: z
    .array(
      z.object({
        id: z.string().regex(/^[A-Za-z0-9_-]{1,100}$/, 'must be 1 to 100 letters, digits, _ or -'),
        name: z.string().min(1).max(200),
        resourceType: z.enum(['exposure', 'metric', 'source', 'model', 'saved_query', 'analysis']).default('exposure'),
        tags: z.array(z.string().min(1).max(100)).max(50).default([]),
        description: z.string().max(2000).optional(),
      }),
    )
    .max(2000)
    .default([]),
  edges: z
    .array(z.object({ source: z.string().min(1).max(1000), target: z.string().min(1).max(1000) }))
    .max(10_000)
    .default([]),
});
export type LineageAdditions = z.infer<typeof LineageAdditions>;

/** A dependency: `source` feeds `target` (upstream to downstream). */
export const LineageEdge = z.object({ source: z.string(), target: z.string() });
export type LineageEdge = z.infer<typeof LineageEdge>;

/** A badge an extension puts on a node. */
export const LineageNodeBadge = z.object({
  nodeId: z.string(),
  label: z.string().min(1).max(40),
  tone: z.enum(['good', 'warn', 'bad', 'neutral']).default('neutral'),
  title: z.string().max(500).optional(),
});
export type LineageNodeBadge = z.infer<typeof LineageNodeBadge>;

/** A note an extension attaches to a node, or to the whole graph when `nodeId` is absent. */
export const LineageAnnotation = z.object({
  nodeId: z.string().optional(),
  text: z.string().min(1).max(2000),
});
export type LineageAnnotation = z.infer<typeof LineageAnnotation>;

/** An edge an extension adds (a dependency dbt does not know about). Both ends must be in the answer. */
export const LineageExtraEdge = LineageEdge.extend({ label: z.string().max(80).optional() });
export type LineageExtraEdge = z.infer<typeof LineageExtraEdge>;

/** What one `lineageBuild` handler may return. Everything is optional; unknown fields are dropped. */
export const LineageOverlay = z.object({
  nodeBadges: z.array(LineageNodeBadge).default([]),
  annotations: z.array(LineageAnnotation).default([]),
  extraEdges: z.array(LineageExtraEdge).default([]),
});
export type LineageOverlay = z.infer<typeof LineageOverlay>;
export type LineageOverlayInput = z.input<typeof LineageOverlay>;

/** An extension whose overlay could not be used: it threw, or returned something invalid. */
export const LineageOverlayProblem = z.object({ owner: z.string(), message: z.string() });
export type LineageOverlayProblem = z.infer<typeof LineageOverlayProblem>;

/** How many nodes of each resource type the whole project has (tests included), for the type filter. */
export const LineageTypeCount = z.object({ resourceType: z.string(), count: z.number().int() });
export type LineageTypeCount = z.infer<typeof LineageTypeCount>;

/** The answer of `GET /api/workspaces/:workspace/lineage`. */
export const LineageGraph = z.object({
  workspace: z.string(),
  focus: z.string().nullable(),
  nodes: z.array(LineageNode),
  edges: z.array(LineageEdge),
  /** Overlays of extensions, by owner (`core` or a plugin name). Never merged into `nodes`/`edges`. */
  overlays: z.record(z.string(), LineageOverlay),
  overlayProblems: z.array(LineageOverlayProblem),
  /** True when the selection had more nodes than `limit` and was cut to the nodes nearest the focus. */
  truncated: z.boolean(),
  /** Nodes in the selection before the cut. */
  total: z.number().int(),
  /** True for a whole-project view that does not fit `limit`: `nodes` is empty, pick a focus or a selector. */
  tooLarge: z.boolean(),
  /** A sentence for the user when the answer is empty, too large or cut. */
  message: z.string().optional(),
  types: z.array(LineageTypeCount),
});
export type LineageGraph = z.infer<typeof LineageGraph>;

/** One hit of `GET /api/workspaces/:workspace/lineage/search?q=`: a node to focus on. */
export const LineageSearchHit = z.object({ id: z.string(), name: z.string(), resourceType: z.string() });
export type LineageSearchHit = z.infer<typeof LineageSearchHit>;

export const LineageSearchResult = z.object({ hits: z.array(LineageSearchHit) });
export type LineageSearchResult = z.infer<typeof LineageSearchResult>;
