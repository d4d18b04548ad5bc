// The public surface for plugin authors. Keep it small and explicit: every export here is a promise.
export type { HostData, PluginSdk, PluginStorage, WorkspaceRole } from './plugin-sdk.ts';
export type {
  BaseSlotProps,
  CodeSlotName,
  DashboardWidgetProps,
  LineageEdgeActionProps,
  LineageNodeActionProps,
  LineageNodeBox,
  LineageOverlayProps,
  LineageSelectedEdge,
  ModelPanelProps,
  PageProps,
  PageWidgetProps,
  PluginPageProps,
  SlotPropsMap,
  SlotRef,
  SourcePanelProps,
  SqlControlProps,
  SqlPanelProps,
} from './slot-props.ts';
export type { NodeDetail, CatalogColumn, CatalogTest, ModelList, ModelListQuery } from './contracts/catalog.schema.ts';
export type {
  LineageNode,
  LineageEdge,
  LineageGraph,
  LineageQuery,
  LineageAdditions,
} from './contracts/lineage.schema.ts';
export type { SqlQueryResult, SqlColumn, SqlTables } from './contracts/sql.schema.ts';
export type { Run, RunList, RunListQuery } from './contracts/runs.schema.ts';
export { defineSlotComponent, slots } from './slot-props.ts';
export type { Contribution, ContributionOf, SlotName, WidgetHostPage } from './contracts/slots.ts';
export type { PluginManifest } from './contracts/plugin-manifest.schema.ts';
export type { Capability } from './contracts/capabilities.ts';
export type {
  ArtifactFiles,
  ArtifactLoadContext,
  BackendData,
  BackendDisposer,
  BackendHost,
  BeforeCallOptions,
  BackendModule,
  BackendRequest,
  BackendResponse,
  BackendRouteHandler,
  BackendRouteMethod,
  BackendRun,
  BackendSql,
  BackendTrigger,
  TriggerCheckContext,
  TriggerDecision,
  LifecycleEventPayloads,
  LineageBuildContext,
  BackendLineageOverlay,
  NodePatch,
  RunHookContext,
  ScheduleHookContext,
  SearchDocument,
  ToolCallContext,
  ToolCallDecision,
  ToolCallEvent,
  ToolHandler,
} from './backend.ts';
export { createFakeHost, createFakeSdk } from './testing.ts';
export type { FakeHost, FakeHostOptions, FakeSdk, FakeSdkOverrides, RecordedCall } from './testing.ts';
