import type { NodeDetail } from './contracts/catalog.schema.ts';
import type { LineageEdge, LineageNode } from './contracts/lineage.schema.ts';
import type { Run } from './contracts/runs.schema.ts';
import type { SlotName, WidgetHostPage } from './contracts/slots.ts';
import type { SqlQueryResult } from './contracts/sql.schema.ts';
import type { PluginSdk } from './plugin-sdk.ts';

/** Props every contributed component receives. */
export interface BaseSlotProps {
  sdk: PluginSdk;
}

/** `nav.tab` and `page`: a routed page. */
export interface PageProps extends BaseSlotProps {
  /** The part of the URL below the contribution's own path, without a leading slash ('' at its root). */
  subPath: string;
}

/**
 * The props of a routed page, by its first name.
 * @deprecated Use {@link PageProps}, the same type named after its slot. Removed with plugin API 2.
 */
export type PluginPageProps = PageProps;

/** `dashboard.widget`: a card on the workspace dashboard. */
export type DashboardWidgetProps = BaseSlotProps;

/** `page.widget`: injected into a core page; the page's subject comes along. */
export interface PageWidgetProps extends BaseSlotProps {
  page: WidgetHostPage;
  /** The model or source shown, on `model.detail` and `source.detail`. */
  node?: NodeDetail;
  /** The run shown, on `run.detail`. */
  run?: Run;
}

/** `model.panel`: a titled panel on a model's page. */
export interface ModelPanelProps extends BaseSlotProps {
  model: NodeDetail;
}

/** `source.panel`: a titled panel on a source's page. */
export interface SourcePanelProps extends BaseSlotProps {
  source: NodeDetail;
}

/** `sql.panel`: shown under the SQL workspace's results; gets the current result. */
export interface SqlPanelProps extends BaseSlotProps {
  /** The SQL that produced `result`. */
  sql: string;
  /** The last successful result, or null before the first run. */
  result: SqlQueryResult | null;
}

/** `sql.control`: a control in the SQL workspace's toolbar. */
export interface SqlControlProps extends BaseSlotProps {
  sql: string;
  setSql(sql: string): void;
  run(): void;
  running: boolean;
}

/** Where a node is drawn on the lineage canvas, in the canvas's own coordinates. */
export interface LineageNodeBox {
  x: number;
  y: number;
  width: number;
  height: number;
}

/**
 * `lineage.overlay`: a layer drawn over the lineage graph. It renders in the canvas's coordinates, so
 * what it draws at a node's box stays aligned while the user pans and zooms.
 */
export interface LineageOverlayProps extends BaseSlotProps {
  nodes: LineageNode[];
  edges: LineageEdge[];
  boxes: Record<string, LineageNodeBox>;
}

/** `lineage.node-action`: an entry in a node's action menu. */
export interface LineageNodeActionProps extends BaseSlotProps {
  node: LineageNode;
  /** Closes the menu, e.g. after the action ran. */
  close(): void;
}

/** A dependency selected on the lineage graph: `from` feeds `to` (unique ids of both ends). */
export interface LineageSelectedEdge {
  from: string;
  to: string;
  /** The plugin that drew this edge (its own nodes' edges or an overlay's); absent for the project's own. */
  addedBy?: string;
}

/** `lineage.node-action` with `target: "edge"`: an entry in a selected edge's action menu. */
export interface LineageEdgeActionProps extends BaseSlotProps {
  edge: LineageSelectedEdge;
  /** The workspace the graph belongs to. */
  workspace: string;
  /** Closes the menu, e.g. after the action ran. */
  close(): void;
}

/** The props contract of every slot that renders code. A breaking change here needs a new plugin API major. */
export interface SlotPropsMap {
  'nav.tab': PageProps;
  page: PageProps;
  'page.widget': PageWidgetProps;
  'dashboard.widget': DashboardWidgetProps;
  'model.panel': ModelPanelProps;
  'source.panel': SourcePanelProps;
  'sql.panel': SqlPanelProps;
  'sql.control': SqlControlProps;
  'lineage.overlay': LineageOverlayProps;
  /** A node action gets the node; one declared with `target: "edge"` gets the edge. */
  'lineage.node-action': LineageNodeActionProps | LineageEdgeActionProps;
}

/** Slots whose contributions render a module (all but the declarative `sql.template`). */
export type CodeSlotName = keyof SlotPropsMap;

/** A typed reference to a slot: its id, with the props type carried along for the compiler only. */
export interface SlotRef<S extends SlotName, P> {
  readonly id: S;
  /** Type-only: never read at run time. */
  readonly __props?: P;
}

function slotRef<S extends CodeSlotName, P extends SlotPropsMap[S] = SlotPropsMap[S]>(id: S): SlotRef<S, P> {
  return { id };
}

/** One reference per slot; pass it to `defineSlotComponent` so a component for the wrong slot fails to compile. */
export const slots = {
  navTab: slotRef('nav.tab'),
  page: slotRef('page'),
  pageWidget: slotRef('page.widget'),
  dashboardWidget: slotRef('dashboard.widget'),
  modelPanel: slotRef('model.panel'),
  sourcePanel: slotRef('source.panel'),
  sqlPanel: slotRef('sql.panel'),
  sqlControl: slotRef('sql.control'),
  lineageOverlay: slotRef('lineage.overlay'),
  lineageNodeAction: slotRef<'lineage.node-action', LineageNodeActionProps>('lineage.node-action'),
  /** `lineage.node-action` contributions declared with `target: "edge"`. */
  lineageEdgeAction: slotRef<'lineage.node-action', LineageEdgeActionProps>('lineage.node-action'),
} as const;

/** Types a component against a slot's props: `export default defineSlotComponent(slots.modelPanel, Panel)`. */
export function defineSlotComponent<S extends CodeSlotName, P extends SlotPropsMap[S], C extends (props: P) => unknown>(
  _slot: SlotRef<S, P>,
  component: C,
): C {
  return component;
}
