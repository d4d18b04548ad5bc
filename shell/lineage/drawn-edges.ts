import type { LineageGraph } from '@dbt-workbench/plugin-sdk/contracts/lineage.schema';
import type { LineageSelectedEdge } from '@dbt-workbench/plugin-sdk';
import type { OverlayView } from './overlay-view.ts';

/** An edge as the canvas draws it and an edge action receives it, with the id the canvas selects it by. */
export interface DrawnEdge extends LineageSelectedEdge {
  id: string;
  /** Drawn dashed: an overlay's extra edge, which dbt does not know about. */
  extra: boolean;
  label?: string;
}

/**
 * Every edge of a view: the graph's own, then the overlays' extra ones. A graph edge touching a plugin's node was
 * added by that plugin (`host.lineage.addNodes`); an extra edge by the overlay that drew it. Pure.
 */
export function drawnEdges(graph: LineageGraph, overlays: OverlayView): DrawnEdge[] {
  const pluginOf = new Map(graph.nodes.flatMap((n) => (n.plugin ? [[n.id, n.plugin] as const] : [])));
  const own = graph.edges.map((edge): DrawnEdge => {
    const addedBy = pluginOf.get(edge.target) ?? pluginOf.get(edge.source);
    return {
      id: `${edge.source}->${edge.target}`,
      from: edge.source,
      to: edge.target,
      extra: false,
      ...(addedBy ? { addedBy } : {}),
    };
  });
  const extra = overlays.extraEdges.map((edge, i): DrawnEdge => ({
    id: `extra:${edge.owner}:${i}`,
    from: edge.source,
    to: edge.target,
    addedBy: edge.owner,
    extra: true,
    ...(edge.label ? { label: edge.label } : {}),
  }));
  return [...own, ...extra];
}

/** What an edge action is given about an edge: its ends and who added it, nothing of the canvas. Pure. */
export function selectedEdgeProps(edge: DrawnEdge): LineageSelectedEdge {
  return { from: edge.from, to: edge.to, ...(edge.addedBy ? { addedBy: edge.addedBy } : {}) };
}
