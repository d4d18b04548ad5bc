import {
  LineageOverlay,
  type LineageEdge,
  type LineageNode,
  type LineageOverlayInput,
  type LineageOverlayProblem,
} from '@dbt-workbench/plugin-sdk/contracts/lineage.schema';
import { problemsFrom } from '@dbt-workbench/plugin-sdk/contracts/validation';
import { createHookPoint, type HookPoint } from '../hooks/hook-point.ts';

/** What a `lineageBuild` handler receives: a frozen copy of the selected graph. The stored index is never reachable. */
export interface LineageBuildPayload {
  workspace: string;
  focus: string | null;
  nodes: readonly LineageNode[];
  edges: readonly LineageEdge[];
}

/** What a `lineageBuild` handler may return: badges, annotations and extra edges, or nothing. */
export type LineageBuildResult = LineageOverlayInput | undefined | void;

/**
 * The seam where core and plugins (`modify-lineage`) add overlays to a lineage answer. Handlers see a copy of
 * the selected nodes and edges and return an overlay; the API sends it beside the graph, keyed by the owner.
 *
 * @example
 * lineage.lineageBuild.register({ owner: 'freshness', handle: ({ nodes }) => ({
 *   nodeBadges: nodes.filter((n) => n.resourceType === 'source').map((n) => ({ nodeId: n.id, label: 'stale', tone: 'warn' })),
 * }) });
 */
export type LineageBuildHook = HookPoint<LineageBuildPayload, LineageBuildResult>;

export function createLineageBuildHook(): LineageBuildHook {
  return createHookPoint<LineageBuildPayload, LineageBuildResult>('lineageBuild');
}

/** Freezes a plain JSON value and everything in it, so a handler that tries to change its copy fails loudly. */
function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}

/** Only the parts of an overlay that point at nodes of this answer; the rest would draw nowhere. */
function keepDrawable(overlay: LineageOverlay, ids: ReadonlySet<string>): LineageOverlay {
  return {
    nodeBadges: overlay.nodeBadges.filter((b) => ids.has(b.nodeId)),
    annotations: overlay.annotations.filter((a) => a.nodeId === undefined || ids.has(a.nodeId)),
    extraEdges: overlay.extraEdges.filter((e) => ids.has(e.source) && ids.has(e.target)),
  };
}

export interface OverlayResult {
  overlays: Record<string, LineageOverlay>;
  problems: LineageOverlayProblem[];
}

/** How long the handlers of one lineage request may take together before the answer goes without them. */
export const overlayTimeoutMs = 5_000;

async function runWithin(hook: LineageBuildHook, payload: LineageBuildPayload, ms: number) {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<null>((resolve) => {
    timer = setTimeout(() => resolve(null), ms);
  });
  try {
    return await Promise.race([hook.run(payload), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Runs every `lineageBuild` handler on a frozen copy of the selection and collects their overlays by owner.
 * A handler that throws or returns an invalid overlay is reported in `problems`, and so are handlers that
 * together take longer than `timeoutMs` (their overlays are left out); the graph itself is never affected.
 */
export async function collectOverlays(
  hook: LineageBuildHook,
  payload: LineageBuildPayload,
  timeoutMs = overlayTimeoutMs,
): Promise<OverlayResult> {
  if (hook.size() === 0) return { overlays: {}, problems: [] };
  const copy = deepFreeze(structuredClone(payload));
  const ids = new Set(payload.nodes.map((n) => n.id));
  const overlays = new Map<string, LineageOverlay>();
  const problems: LineageOverlayProblem[] = [];
  const outcomes = await runWithin(hook, copy, timeoutMs);
  if (!outcomes) {
    return {
      overlays: {},
      problems: [
        { owner: '(all handlers)', message: `Lineage overlays did not finish within ${timeoutMs} ms; left out` },
      ],
    };
  }
  for (const outcome of outcomes) {
    if (!outcome.ok) {
      problems.push({
        owner: outcome.owner,
        message: `Its lineage overlay failed: ${outcome.error ?? 'unknown error'}`,
      });
      continue;
    }
    if (outcome.result === undefined || outcome.result === null) continue;
    const parsed = LineageOverlay.safeParse(outcome.result, { reportInput: true });
    if (!parsed.success) {
      const details = problemsFrom(parsed.error).map((p) => p.message);
      problems.push({ owner: outcome.owner, message: `Its lineage overlay is invalid: ${details.join('; ')}` });
      continue;
    }
    const overlay = keepDrawable(parsed.data, ids);
    const previous = overlays.get(outcome.owner);
    overlays.set(
      outcome.owner,
      previous
        ? {
            nodeBadges: [...previous.nodeBadges, ...overlay.nodeBadges],
            annotations: [...previous.annotations, ...overlay.annotations],
            extraEdges: [...previous.extraEdges, ...overlay.extraEdges],
          }
        : overlay,
    );
  }
  return { overlays: Object.fromEntries(overlays), problems };
}
