import {
  Background,
  MarkerType,
  MiniMap,
  ReactFlow,
  ReactFlowProvider,
  useReactFlow,
  useStore,
  ViewportPortal,
  type Edge,
  type NodeTypes,
} from '@xyflow/react';
import '@xyflow/react/dist/style.css';
import { memo, useEffect, useLayoutEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import type { LineageGraph } from '@dbt-workbench/plugin-sdk/contracts/lineage.schema';
import { nodeSize } from './geometry.ts';
import { computeLayout, type Positions } from './layout.ts';
import { LineageNodeCard, type LineageFlowNode } from './LineageNodeCard.tsx';
import { CanvasToolbar, useMapPreference } from './CanvasToolbar.tsx';
import type { OverlayView } from './overlay-view.ts';
import { drawnEdges, type DrawnEdge } from './drawn-edges.ts';
import { resourceTypeStyle } from './resource-types.ts';
import { compactBelow, fitPadding, panIntoView, planFit, type CanvasSize, type FitPlan } from './viewport.ts';
import { ExtensionSlot } from '../extensions/slots.tsx';

const nodeTypes: NodeTypes = { lineage: LineageNodeCard };

interface Layout {
  graph: LineageGraph;
  overlays: OverlayView;
  positions: Positions;
  edges: DrawnEdge[];
}

/** What is selected on the canvas: a node or an edge, by id. */
export type CanvasSelection = { kind: 'node' | 'edge'; id: string } | null;

export interface LineageCanvasProps {
  graph: LineageGraph;
  overlays: OverlayView;
  /** Which view `graph` answers (its query): a new view is fitted to the canvas, a refresh of the same one is not. */
  viewKey: string;
  selection: CanvasSelection;
  onSelect(selection: CanvasSelection): void;
  /** The selected node's or edge's panel, drawn beside the canvas (never over it). */
  panel: ReactNode;
  /** True while the next view loads (this one stays drawn meanwhile). */
  busy: boolean;
}

function flowNodes(layout: Layout, selectedId: string | null): LineageFlowNode[] {
  return layout.graph.nodes.map((node) => ({
    id: node.id,
    type: 'lineage',
    position: layout.positions[node.id] ?? { x: 0, y: 0 },
    // Fixed sizes: fitView and the minimap need no measuring pass, and stay right on every re-render.
    width: nodeSize.width,
    height: nodeSize.height,
    data: { node, badges: layout.overlays.badges.get(node.id) ?? [], focused: node.id === layout.graph.focus },
    selected: node.id === selectedId,
    draggable: false,
    connectable: false,
  }));
}

function flowEdges(
  layout: Layout,
  selectedId: string | null,
  selectedEdge: string | null,
  name: (id: string) => string,
  onSelectEdge: (id: string) => void,
): Edge[] {
  const arrow = { type: MarkerType.ArrowClosed, width: 16, height: 16 };
  return layout.edges.map((edge) => {
    const selected = edge.id === selectedEdge;
    const near = selected || edge.from === selectedId || edge.to === selectedId;
    const classes = ['wb-lineage-edge', edge.extra && 'is-extra', near && 'is-near', selected && 'is-selected'];
    return {
      id: edge.id,
      source: edge.from,
      target: edge.to,
      label: edge.label,
      className: classes.filter(Boolean).join(' '),
      markerEnd: { ...arrow, color: near ? '#2563eb' : edge.extra ? '#c2410c' : '#94a3b8' },
      selected,
      // Reachable with Tab; Enter or Space selects it, as a click does.
      focusable: true,
      ariaLabel: `Dependency from ${name(edge.from)} to ${name(edge.to)}`,
      domAttributes: {
        onKeyDown: (event) => {
          if (event.key !== 'Enter' && event.key !== ' ') return;
          event.preventDefault();
          onSelectEdge(edge.id);
        },
      },
    };
  });
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

/** The canvas element's size when it is first laid out (before anything is drawn in it); null until then. */
function useInitialSize(ref: React.RefObject<HTMLElement | null>): CanvasSize | null {
  const [size, setSize] = useState<CanvasSize | null>(null);
  useLayoutEffect(() => {
    const element = ref.current;
    if (element) setSize({ width: element.clientWidth, height: element.clientHeight });
  }, [ref]);
  return size;
}

interface FlowProps {
  layout: Layout;
  plan: FitPlan;
  selection: CanvasSelection;
  onSelect(selection: CanvasSelection): void;
}

/** The React Flow canvas; memoised, so the page re-rendering around it (the panel, a pending query) costs nothing. */
const Flow = memo(function Flow({ layout, plan, selection, onSelect }: FlowProps) {
  const selectedId = selection?.kind === 'node' ? selection.id : null;
  const selectedEdge = selection?.kind === 'edge' ? selection.id : null;
  const nodes = useMemo(() => flowNodes(layout, selectedId), [layout, selectedId]);
  const edges = useMemo(() => {
    const names = new Map(layout.graph.nodes.map((n) => [n.id, n.name]));
    const selectEdge = (id: string) => onSelect({ kind: 'edge', id });
    return flowEdges(layout, selectedId, selectedEdge, (id) => names.get(id) ?? id, selectEdge);
  }, [layout, selectedId, selectedEdge, onSelect]);
  const overlayProps = useMemo(
    () => ({ nodes: layout.graph.nodes, edges: layout.graph.edges, boxes: boxesOf(layout) }),
    [layout],
  );
  const compact = useStore((s) => s.transform[2] < compactBelow);
  const flow = useReactFlow();
  // Whether the user has panned or zoomed since the view was fitted.
  const moved = useRef(false);
  const width = useStore((s) => s.width);
  const height = useStore((s) => s.height);
  const fitted = useRef<{ width: number; height: number } | null>(null);

  // When the panel opens or closes beside the canvas, a whole graph the user has not moved is fitted again to the
  // space left; otherwise the view keeps its place, with the selected node brought back into view.
  useEffect(() => {
    if (width === 0 || height === 0) return;
    const before = fitted.current;
    fitted.current = { width, height };
    if (!before || (before.width === width && before.height === height)) return;
    if (!moved.current && !plan.partial) {
      void flow.fitView({ padding: fitPadding, minZoom: plan.minZoom, maxZoom: plan.maxZoom, nodes: plan.nodes });
    }
  }, [width, height, plan, flow]);

  useEffect(() => {
    const at = selectedId ? layout.positions[selectedId] : undefined;
    if (!at || width === 0) return;
    const viewport = flow.getViewport();
    const next = panIntoView(at, viewport, { width, height });
    if (next) void flow.setViewport({ ...next, zoom: viewport.zoom }, { duration: 150 });
  }, [selectedId, width, height, layout, flow]);

  return (
    <ReactFlow
      className={compact ? 'is-compact' : undefined}
      nodes={nodes}
      edges={edges}
      nodeTypes={nodeTypes}
      fitView
      fitViewOptions={{ padding: fitPadding, minZoom: plan.minZoom, maxZoom: plan.maxZoom, nodes: plan.nodes }}
      minZoom={Math.min(0.2, plan.allZoom * 0.8)}
      maxZoom={2}
      onlyRenderVisibleElements
      nodesDraggable={false}
      nodesConnectable={false}
      onNodeClick={(_, node) => onSelect({ kind: 'node', id: node.id })}
      onEdgeClick={(_, edge) => onSelect({ kind: 'edge', id: edge.id })}
      onPaneClick={() => onSelect(null)}
      onMove={(event) => {
        // Only the user's own moves have an event (a click starts a gesture but moves nothing, so not onMoveStart).
        if (event) moved.current = true;
      }}
      proOptions={{ hideAttribution: true }}
    >
      <Background gap={24} color="#e2e5ea" />
      {/* Plugin layers live in canvas coordinates, so they pan and zoom with the nodes. */}
      <ViewportPortal>
        <div className="wb-lineage-overlays" data-testid="lineage-overlays">
          <ExtensionSlot slot="lineage.overlay" frame="bare" slotProps={overlayProps} />
        </div>
      </ViewportPortal>
    </ReactFlow>
  );
});

/**
 * The graph laid out left to right, with a toolbar above it and, beside it, the minimap and the selected node's
 * panel: nothing is drawn over the nodes. A new view is fitted to the canvas, or, when it is too large to read
 * whole, shown at a readable zoom around its focus with "Fit all" one click away. A refresh of the same view
 * (new statuses, overlays) keeps the user's zoom and position.
 */
export function LineageCanvas(props: LineageCanvasProps) {
  const [mapShown, setMapShown] = useMapPreference(props.graph.nodes.length);
  return <CanvasView key={props.viewKey} {...props} mapShown={mapShown} onToggleMap={() => setMapShown(!mapShown)} />;
}

interface CanvasViewProps extends LineageCanvasProps {
  mapShown: boolean;
  onToggleMap(): void;
}

/** One view: laid out, measured and fitted when it opens. */
function CanvasView({ graph, overlays, selection, onSelect, panel, busy, mapShown, onToggleMap }: CanvasViewProps) {
  const positions = useMemo(
    () => computeLayout({ nodes: graph.nodes, edges: [...graph.edges, ...overlays.extraEdges] }),
    [graph, overlays],
  );
  const layout = useMemo(
    () => ({ graph, overlays, positions, edges: drawnEdges(graph, overlays) }),
    [graph, overlays, positions],
  );
  const canvas = useRef<HTMLDivElement>(null);
  const size = useInitialSize(canvas);
  // Planned once, from the size the canvas opens at.
  const [plan, setPlan] = useState<FitPlan | null>(null);
  if (size && !plan) setPlan(planFit(positions, size, graph.focus ?? null));

  return (
    <ReactFlowProvider>
      <div className="wb-lineage-stage">
        <div className="wb-lineage-main">
          <CanvasToolbar graph={graph} plan={plan} busy={busy} mapShown={mapShown} onToggleMap={onToggleMap} />
          <div className="wb-lineage-canvas" ref={canvas} data-testid="lineage-canvas">
            {size && plan && <Flow layout={layout} plan={plan} selection={selection} onSelect={onSelect} />}
          </div>
        </div>
        {(mapShown || panel) && (
          <div className="wb-lineage-side">
            {mapShown && (
              <div className="wb-lineage-map wb-card" data-testid="lineage-map">
                <MiniMap
                  pannable
                  zoomable
                  nodeColor={(node) => resourceTypeStyle((node as LineageFlowNode).data.node.resourceType).color}
                  nodeStrokeWidth={0}
                  bgColor="#ffffff"
                  maskColor="rgba(226, 232, 240, 0.75)"
                  maskStrokeColor="#2563eb"
                  maskStrokeWidth={2}
                  ariaLabel="Minimap of the lineage"
                />
              </div>
            )}
            {panel}
          </div>
        )}
      </div>
    </ReactFlowProvider>
  );
}
