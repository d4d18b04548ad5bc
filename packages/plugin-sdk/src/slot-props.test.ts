// Type tests: `npm run typecheck` compiles this file, so each `@ts-expect-error` below fails the check the day the
// wrong slot/props combination it marks starts to compile. The runtime assertions are the same facts for vitest.
import { expectTypeOf, test } from 'vitest';
import {
  defineSlotComponent,
  slots,
  type LineageEdgeActionProps,
  type LineageNodeActionProps,
  type ModelPanelProps,
  type SlotPropsMap,
  type SqlControlProps,
  type SqlPanelProps,
} from './index.ts';

const SqlPanel = (props: SqlPanelProps) => props.sql;
const ModelPanel = (props: ModelPanelProps) => props.model.name;

test('a component is accepted for its own slot and keeps its type', () => {
  expectTypeOf(defineSlotComponent(slots.sqlPanel, SqlPanel)).toEqualTypeOf<typeof SqlPanel>();
  expectTypeOf(defineSlotComponent(slots.modelPanel, ModelPanel)).parameter(0).toEqualTypeOf<ModelPanelProps>();
});

test('a component for another slot does not compile', () => {
  // @ts-expect-error: a sql.panel component needs `sql` and `result`, which a model panel never gets.
  defineSlotComponent(slots.modelPanel, SqlPanel);
  // @ts-expect-error: and the other way round: no `model` on the SQL page.
  defineSlotComponent(slots.sqlPanel, ModelPanel);
  // @ts-expect-error: a control needs `setSql`, `run` and `running`, which a panel under the results lacks.
  defineSlotComponent(slots.sqlPanel, (props: SqlControlProps) => props.running);
  expectTypeOf(SqlPanel).parameter(0).not.toMatchTypeOf<ModelPanelProps>();
});

test('each slot reference carries the props of its slot in SlotPropsMap', () => {
  expectTypeOf(slots.sqlPanel.id).toEqualTypeOf<'sql.panel'>();
  expectTypeOf<NonNullable<(typeof slots.lineageOverlay)['__props']>>().toEqualTypeOf<
    SlotPropsMap['lineage.overlay']
  >();
  expectTypeOf<NonNullable<(typeof slots.dashboardWidget)['__props']>>().toEqualTypeOf<
    SlotPropsMap['dashboard.widget']
  >();
});

test('an edge action gets the edge, a node action the node, both on lineage.node-action', () => {
  const EdgeAction = (props: LineageEdgeActionProps) => `${props.edge.from}->${props.edge.to}@${props.workspace}`;
  const NodeAction = (props: LineageNodeActionProps) => props.node.id;
  expectTypeOf(defineSlotComponent(slots.lineageEdgeAction, EdgeAction))
    .parameter(0)
    .toEqualTypeOf<LineageEdgeActionProps>();
  expectTypeOf(defineSlotComponent(slots.lineageNodeAction, NodeAction))
    .parameter(0)
    .toEqualTypeOf<LineageNodeActionProps>();
  expectTypeOf<LineageEdgeActionProps['edge']>().toEqualTypeOf<{ from: string; to: string; addedBy?: string }>();
  expectTypeOf(slots.lineageEdgeAction.id).toEqualTypeOf<'lineage.node-action'>();
  // @ts-expect-error: an edge has no `node`, so a node action cannot be registered as an edge action.
  defineSlotComponent(slots.lineageEdgeAction, NodeAction);
  // @ts-expect-error: and a node action gets no `edge`.
  defineSlotComponent(slots.lineageNodeAction, EdgeAction);
});
