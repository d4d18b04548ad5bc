import type { SlotName, WidgetHostPage } from '../slots.ts';
import type { PluginSdk } from './plugin-sdk.ts';

/** Props every contributed component receives. */
export interface BaseSlotProps {
  sdk: PluginSdk;
}

/** Props for a page reached through a `nav.tab` or `page` contribution. */
export interface PluginPageProps extends BaseSlotProps {
  /** The part of the URL below the contribution's own path, without a leading slash ('' at its root). */
  subPath: string;
}

/** Props for a `dashboard.widget`. */
export type DashboardWidgetProps = BaseSlotProps;

/** Props for a `page.widget`, told which core page hosts it. */
export interface PageWidgetProps extends BaseSlotProps {
  page: WidgetHostPage;
}

/** The props contract of each slot that renders code. Slots added here need a shell renderer too. */
export interface SlotPropsMap {
  'nav.tab': PluginPageProps;
  page: PluginPageProps;
  'page.widget': PageWidgetProps;
  'dashboard.widget': DashboardWidgetProps;
}

/** A typed reference to a slot: its id, with the props type carried along for the compiler only. */
export interface SlotRef<S extends SlotName, P> {
  readonly id: S;
  /** Type-only: never read at run time. */
  readonly __props?: P;
}

function slotRef<S extends keyof SlotPropsMap>(id: S): SlotRef<S, SlotPropsMap[S]> {
  return { id };
}

/** One reference per slot; pass it to `defineSlotComponent` so a component for the wrong slot fails to compile. */
export const slots = {
  navTab: slotRef('nav.tab'),
  page: slotRef('page'),
  pageWidget: slotRef('page.widget'),
  dashboardWidget: slotRef('dashboard.widget'),
} as const;

/** Types a component against a slot's props: `export default defineSlotComponent(slots.dashboardWidget, Widget)`. */
export function defineSlotComponent<S extends keyof SlotPropsMap, C extends (props: SlotPropsMap[S]) => unknown>(
  _slot: SlotRef<S, SlotPropsMap[S]>,
  component: C,
): C {
  return component;
}
