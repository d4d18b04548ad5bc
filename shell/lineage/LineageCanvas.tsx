import {
  Background,
  Controls,
  MarkerType,
  MiniMap,
  ReactFlow,
  ReactFlowProvider,
  ViewportPortal,
  type Edge,
  type NodeTypes,
} from '@xyflow/react';
import '@xyflow/react/dist/style.css';
import { useEffect, useMemo, useState } from 'react';
import type { LineageGraph } from '@dbt-workbench/plugin-sdk/contracts/lineage.schema';
import { layoutGraph } from './layout-client.ts';
import { nodeSize } from './geometry.ts';
import type { Positions } from './layout.ts';
import { LineageNodeCard, type LineageFlowNode } from './LineageNodeCard.tsx';
import type { OverlayView } from './overlay-view.ts';
import { resourceTypeStyle } from './resource-types.ts';
import { ExtensionSlot } from '../extensions/slots.tsx';

const nodeTypes: NodeTypes = { lineage: LineageNodeCard };

interface Layout {
  /** The view this layout belongs to: a new view is fitted to the screen, a refresh of the same one is not. */
  viewKey: string;
  graph: LineageGraph;
  overlays: OverlayView;
  positions: Positions;
}

export interface LineageCanvasProps {
  graph: LineageGraph;
  overlays: OverlayView;
  /** Which view `graph` answers (its query); the viewport is kept while it stays the same. */
  viewKey: string;
  selectedId: string | null;
  onSelect(id: string | null): void;
  onLayoutError(message: string | null): void;
}

function flowNodes(layout: Layout, overlays: OverlayView, selectedId: string | null): LineageFlowNode[] {
  return layout.graph.nodes.map((node) => ({
    id: node.id,
    type: 'lineage',
    position: layout.positions[node.id] ?? { x: 0, y: 0 },
    // Fixed sizes: fitView and the minimap need no measuring pass, and stay right on every re-render.
    width: nodeSize.width,
    height: nodeSize.height,
    data: { node, badges: overlays.badges.get(node.id) ?? [], focused: node.id === layout.graph.focus },
    selected: node.id === selectedId,
    draggable: false,
    connectable: false,
  }));
}

function flowEdges(layout: Layout, overlays: OverlayView, selectedId: string | null): Edge[] {
  const arrow = { type: MarkerType.ArrowClosed, width: 16, height: 16 };
  const edges: Edge[] = layout.graph.edges.map((edge) => {
    const near = edge.source === selectedId || edge.target === selectedId;
    return {
      id: `${edge.source}->${edge.target}`,
      source: edge.source,
      target: edge.target,
      className: near ? 'wb-lineage-edge is-near' : 'wb-lineage-edge',
      markerEnd: { ...arrow, color: near ? '#2563eb' : '#94a3b8' },
      focusable: false,
    };
  });
  overlays.extraEdges.forEach((edge, i) => {
    edges.push({
      id: `extra:${edge.owner}:${i}`,
      source: edge.source,
      target: edge.target,
      label: edge.label,
      className: 'wb-lineage-edge is-extra',
      markerEnd: { ...arrow, color: '#c2410c' },
      focusable: false,
      data: { owner: edge.owner },
    });
  });
  return edges;
}

interface FlowProps {
  layout: Layout;
  selectedId: string | null;
  onSelect(id: string | null): void;
}

/** Each node's box in canvas coordinates, for `lineage.overlay` contributions. */
function boxesOf(layout: Layout): Record<string, { x: number; y: number; width: number; height: number }> {
  return Object.fromEntries(
    layout.graph.nodes.map((n) => {
      const at = layout.positions[n.id] ?? { x: 0, y: 0 };
      return [n.id, { x: at.x, y: at.y, width: nodeSize.width, height: nodeSize.height }];
    }),
  );
}

function Flow({ layout, selectedId, onSelect }: FlowProps) {
  const nodes = useMemo(() => flowNodes(layout, layout.overlays, selectedId), [layout, selectedId]);
  const edges = useMemo(() => flowEdges(layout, layout.overlays, selectedId), [layout, selectedId]);
  const overlayProps = useMemo(
    () => ({ nodes: layout.graph.nodes, edges: layout.graph.edges, boxes: boxesOf(layout) }),
    [layout],
  );
  return (
    <ReactFlow
      nodes={nodes}
      edges={edges}
      nodeTypes={nodeTypes}
      fitView
      fitViewOptions={{ padding: 0.12, maxZoom: 1.2 }}
      minZoom={0.05}
      maxZoom={2}
      nodesDraggable={false}
      nodesConnectable={false}
      onNodeClick={(_, node) => onSelect(node.id)}
      onPaneClick={() => onSelect(null)}
      proOptions={{ hideAttribution: true }}
    >
      <Background gap={24} color="#e2e5ea" />
      {/* Plugin layers live in canvas coordinates, so they pan and zoom with the nodes. */}
      <ViewportPortal>
        <div className="wb-lineage-overlays" data-testid="lineage-overlays">
          <ExtensionSlot slot="lineage.overlay" frame="bare" slotProps={overlayProps} />
        </div>
      </ViewportPortal>
      <Controls showInteractive={false} position="top-left" />
      <MiniMap
        position="bottom-left"
        pannable
        zoomable
        nodeColor={(node) => resourceTypeStyle((node as LineageFlowNode).data.node.resourceType).color}
        nodeStrokeWidth={0}
        ariaLabel="Minimap of the lineage"
      />
    </ReactFlow>
  );
}

/**
 * The graph, laid out left to right in a worker, with zoom, pan and a minimap. A new view is fitted to the
 * screen; a refresh of the same view (new statuses, overlays) keeps the user's zoom and position.
 */
export function LineageCanvas({ graph, overlays, viewKey, selectedId, onSelect, onLayoutError }: LineageCanvasProps) {
  const [layout, setLayout] = useState<Layout | null>(null);
  const [laying, setLaying] = useState(false);

  useEffect(() => {
    let current = true;
    setLaying(true);
    const edges = [...graph.edges, ...overlays.extraEdges];
    layoutGraph({ nodes: graph.nodes, edges }).then(
      (positions) => {
        if (!current) return;
        setLayout({ viewKey, graph, overlays, positions });
        setLaying(false);
        onLayoutError(null);
      },
      (error: unknown) => {
        if (!current) return;
        setLaying(false);
        onLayoutError(error instanceof Error ? error.message : String(error));
      },
    );
    return () => {
      current = false;
    };
  }, [graph, overlays, viewKey, onLayoutError]);

  return (
    <div className="wb-lineage-canvas" data-testid="lineage-canvas" aria-busy={laying}>
      {layout ? (
        <ReactFlowProvider key={layout.viewKey}>
          <Flow layout={layout} selectedId={selectedId} onSelect={onSelect} />
        </ReactFlowProvider>
      ) : (
        <p className="wb-loading wb-lineage-laying">Laying out {graph.nodes.length} nodes…</p>
      )}
      {layout && laying && <p className="wb-lineage-busy">Updating…</p>}
    </div>
  );
}
