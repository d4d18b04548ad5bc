import { useReactFlow, useStore } from '@xyflow/react';
import { useState } from 'react';
import type { LineageGraph } from '@dbt-workbench/plugin-sdk/contracts/lineage.schema';
import { fitPadding, maxFitZoom, readableZoom, type FitPlan } from './viewport.ts';

const mapKey = 'wb.lineage.map';
/** Graphs up to this many nodes fit on screen: their minimap starts hidden unless the user asked for it. */
const smallGraph = 40;

/** Whether the minimap is shown: the user's last choice, else shown for graphs too large to see at once. */
export function useMapPreference(nodeCount: number): [boolean, (shown: boolean) => void] {
  const [saved, setSaved] = useState(() => {
    try {
      return localStorage.getItem(mapKey);
    } catch {
      return null;
    }
  });
  const shown = saved === null ? nodeCount > smallGraph : saved === 'shown';
  const set = (next: boolean) => {
    const value = next ? 'shown' : 'hidden';
    setSaved(value);
    try {
      localStorage.setItem(mapKey, value);
    } catch {
      // Private mode: the choice lasts until the page closes.
    }
  };
  return [shown, set];
}

export interface CanvasToolbarProps {
  graph: LineageGraph;
  plan: FitPlan | null;
  /** True while the next view loads. */
  busy: boolean;
  mapShown: boolean;
  onToggleMap(): void;
}

/** Zoom, "Fit all", back to the readable part, and the minimap switch: above the canvas, never over a node. */
export function CanvasToolbar({ graph, plan, busy, mapShown, onToggleMap }: CanvasToolbarProps) {
  const flow = useReactFlow();
  const tooSmallToRead = useStore((s) => s.transform[2] < readableZoom - 0.01);
  const count = graph.nodes.length.toLocaleString('en-US');
  const anchor = plan?.anchor ? graph.nodes.find((n) => n.id === plan.anchor) : undefined;
  const fitAll = () =>
    void flow.fitView({ padding: fitPadding, minZoom: plan?.allZoom ?? 0.01, maxZoom: maxFitZoom, duration: 250 });
  const backToAnchor = () =>
    anchor &&
    void flow.fitView({ nodes: [{ id: anchor.id }], minZoom: readableZoom, maxZoom: readableZoom, duration: 250 });

  let note = '';
  if (busy) note = 'Loading the new view…';
  else if (tooSmallToRead) note = 'Zoom in to read the names.';
  else if (plan?.partial) note = `Showing part of ${count} nodes at a readable size.`;

  return (
    <div className="wb-lineage-toolbar" role="toolbar" aria-label="Canvas">
      <div className="wb-lineage-zoom" role="group" aria-label="Zoom">
        <button type="button" className="wb-button" onClick={() => void flow.zoomOut({ duration: 150 })}>
          <span aria-hidden>−</span>
          <span className="wb-visually-hidden">Zoom out</span>
        </button>
        <button type="button" className="wb-button" onClick={() => void flow.zoomIn({ duration: 150 })}>
          <span aria-hidden>+</span>
          <span className="wb-visually-hidden">Zoom in</span>
        </button>
      </div>
      <button type="button" className="wb-button" onClick={fitAll}>
        Fit all {count} nodes
      </button>
      {anchor && (
        <button type="button" className="wb-button" onClick={backToAnchor}>
          Back to {anchor.id === graph.focus ? anchor.name : 'a readable size'}
        </button>
      )}
      <span className="wb-muted wb-lineage-zoom-note" data-testid="lineage-zoom-note" aria-live="polite">
        {note}
      </span>
      <label className="wb-lineage-map-toggle">
        <input type="checkbox" checked={mapShown} onChange={onToggleMap} />
        Minimap
      </label>
    </div>
  );
}
