// The public surface for plugin authors. Keep it small and explicit: every export here is a promise.
export type { PluginSdk, WorkspaceRole } from './plugin-sdk.ts';
export type {
  BaseSlotProps,
  DashboardWidgetProps,
  PageWidgetProps,
  PluginPageProps,
  SlotPropsMap,
  SlotRef,
} from './slot-props.ts';
export { defineSlotComponent, slots } from './slot-props.ts';
export type { Contribution, ContributionOf, SlotName, WidgetHostPage } from '../slots.ts';
export type { PluginManifest } from '../plugin-manifest.schema.ts';
export type { Capability } from '../capabilities.ts';
