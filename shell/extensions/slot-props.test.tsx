// Type tests: the shell passes each slot the props the SDK defines for it (minus `sdk`). `npm run typecheck`
// compiles this file, so a `@ts-expect-error` below that stops being an error fails the check.
import { expectTypeOf, test } from 'vitest';
import type { ComponentProps } from 'react';
import type { NodeDetail, SqlPanelProps } from '@dbt-workbench/plugin-sdk';
import { ExtensionSlot, type HostSlotProps } from './slots.tsx';

declare const model: NodeDetail;

test('the host props of a slot are the SDK props without sdk', () => {
  expectTypeOf<HostSlotProps<'sql.panel'>>().toEqualTypeOf<Omit<SqlPanelProps, 'sdk'>>();
  expectTypeOf<HostSlotProps<'model.panel'>>().toEqualTypeOf<{ model: NodeDetail }>();
  expectTypeOf<ComponentProps<typeof ExtensionSlot<'model.panel'>>['slotProps']>().toEqualTypeOf<{
    model: NodeDetail;
  }>();
});

test('a page passing the wrong props for a slot does not compile', () => {
  // Built, never rendered: only the compiler looks at these.
  const elements = () => [
    <ExtensionSlot key="ok" slot="model.panel" slotProps={{ model }} />,
    <ExtensionSlot key="widget" slot="dashboard.widget" />,
    // @ts-expect-error: SQL props on a model panel.
    <ExtensionSlot key="sql" slot="model.panel" slotProps={{ sql: '' }} />,
    // @ts-expect-error: a model panel without its model.
    <ExtensionSlot key="none" slot="model.panel" />,
    // @ts-expect-error: `sql.panel` needs the result as well as the SQL.
    <ExtensionSlot key="half" slot="sql.panel" slotProps={{ sql: 'select 1' }} />,
    // @ts-expect-error: the declarative `sql.template` renders no component, so no page hosts it.
    <ExtensionSlot key="template" slot="sql.template" />,
  ];
  expectTypeOf(elements).returns.items.toHaveProperty('props');
});
