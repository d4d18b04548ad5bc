import type {
  LineageAnnotation,
  LineageGraph,
  LineageNodeBadge,
} from '@dbt-workbench/plugin-sdk/contracts/lineage.schema';

/** A badge with the extension (owner) that put it there. */
export type OwnedBadge = LineageNodeBadge & { owner: string };
export type OwnedAnnotation = LineageAnnotation & { owner: string };

/** The overlays of an answer regrouped for drawing: badges and notes by node, graph-wide notes, extra edges. */
export interface OverlayView {
  badges: Map<string, OwnedBadge[]>;
  notes: Map<string, OwnedAnnotation[]>;
  graphNotes: OwnedAnnotation[];
  extraEdges: { owner: string; source: string; target: string; label?: string }[];
}

export function overlayView(graph: LineageGraph): OverlayView {
  const view: OverlayView = { badges: new Map(), notes: new Map(), graphNotes: [], extraEdges: [] };
  for (const [owner, overlay] of Object.entries(graph.overlays)) {
    for (const badge of overlay.nodeBadges) {
      view.badges.set(badge.nodeId, [...(view.badges.get(badge.nodeId) ?? []), { ...badge, owner }]);
    }
    for (const note of overlay.annotations) {
      if (note.nodeId === undefined) view.graphNotes.push({ ...note, owner });
      else view.notes.set(note.nodeId, [...(view.notes.get(note.nodeId) ?? []), { ...note, owner }]);
    }
    for (const edge of overlay.extraEdges) view.extraEdges.push({ ...edge, owner });
  }
  return view;
}
