import { nodeSize } from './geometry.ts';
import type { Positions } from './layout.ts';

/**
 * The smallest zoom at which node names can be read: below `compactBelow` cards show only their name, in a
 * font large enough to stay about 8 px on screen down to this zoom.
 */
export const readableZoom = 0.4;
/** Below this zoom node cards drop their type and test lines and enlarge the name. */
export const compactBelow = 0.75;
/** A small graph is not blown up past this when fitted. */
export const maxFitZoom = 1.2;
/** Share of the canvas left empty around a fitted graph, on each side. */
export const fitPadding = 0.08;

export interface CanvasSize {
  width: number;
  height: number;
}

/** What to fit into the canvas when a view opens: React Flow's `fitViewOptions`, and whether it shows a part. */
export interface FitPlan {
  /** The nodes to fit; undefined for all of them. */
  nodes?: { id: string }[];
  minZoom: number;
  maxZoom: number;
  /** True when the graph is too large to read whole, so only the part around `anchor` is shown. */
  partial: boolean;
  /** The zoom that shows every node; the canvas must allow zooming out to it. */
  allZoom: number;
  anchor?: string;
}

function bounds(positions: Positions) {
  let left = Infinity;
  let top = Infinity;
  let right = -Infinity;
  let bottom = -Infinity;
  for (const { x, y } of Object.values(positions)) {
    left = Math.min(left, x);
    top = Math.min(top, y);
    right = Math.max(right, x + nodeSize.width);
    bottom = Math.max(bottom, y + nodeSize.height);
  }
  return { left, top, width: right - left, height: bottom - top };
}

/** The node whose centre is nearest to the centre of the drawing: something is always drawn there. */
function nearestToCentre(positions: Positions, box: ReturnType<typeof bounds>): string | undefined {
  const cx = box.left + box.width / 2;
  const cy = box.top + box.height / 2;
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const [id, { x, y }] of Object.entries(positions)) {
    const distance = (x + nodeSize.width / 2 - cx) ** 2 + (y + nodeSize.height / 2 - cy) ** 2;
    if (distance < bestDistance) [best, bestDistance] = [id, distance];
  }
  return best;
}

/**
 * How a newly opened view is fitted into a canvas of `size`: the whole graph when it can be read at that size;
 * otherwise a readable zoom centred on the focus (or, without one, on the node nearest the middle), with the
 * rest a "Fit all" away.
 */
export function planFit(positions: Positions, size: CanvasSize, focus: string | null): FitPlan {
  const box = bounds(positions);
  if (!Number.isFinite(box.width) || size.width <= 0 || size.height <= 0) {
    return { minZoom: readableZoom, maxZoom: maxFitZoom, partial: false, allZoom: readableZoom };
  }
  const usable = 1 - 2 * fitPadding;
  const allZoom = Math.min((size.width * usable) / box.width, (size.height * usable) / box.height, maxFitZoom);
  if (allZoom >= readableZoom) return { minZoom: readableZoom, maxZoom: maxFitZoom, partial: false, allZoom };
  const anchor = focus && positions[focus] ? focus : nearestToCentre(positions, box);
  return {
    ...(anchor ? { nodes: [{ id: anchor }] } : {}),
    minZoom: readableZoom,
    maxZoom: readableZoom,
    partial: true,
    allZoom,
    ...(anchor ? { anchor } : {}),
  };
}

/**
 * The pan that brings a node's box fully into a canvas of `size` at `viewport`, or null when it is already in
 * view: used when the side panel opens and narrows the canvas.
 */
export function panIntoView(
  at: { x: number; y: number },
  viewport: { x: number; y: number; zoom: number },
  size: CanvasSize,
  margin = 24,
): { x: number; y: number } | null {
  const left = at.x * viewport.zoom + viewport.x;
  const top = at.y * viewport.zoom + viewport.y;
  const right = left + nodeSize.width * viewport.zoom;
  const bottom = top + nodeSize.height * viewport.zoom;
  let dx = 0;
  let dy = 0;
  if (right > size.width - margin) dx = size.width - margin - right;
  if (left + dx < margin) dx = margin - left;
  if (bottom > size.height - margin) dy = size.height - margin - bottom;
  if (top + dy < margin) dy = margin - top;
  return dx === 0 && dy === 0 ? null : { x: viewport.x + dx, y: viewport.y + dy };
}
