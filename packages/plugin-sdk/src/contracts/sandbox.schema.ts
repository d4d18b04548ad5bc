import { z } from 'zod';
import { Capability } from './capabilities.ts';
import { ModelListQuery } from './catalog.schema.ts';
import { LifecycleEvent } from './lifecycle-events.ts';
import { LineageQuery } from './lineage.schema.ts';
import { MetricsPoint, PluginHealth } from './plugin-metrics.schema.ts';
import { ToolName } from './tools.schema.ts';
import { RunListQuery } from './runs.schema.ts';
import { SqlQueryBody } from './sql.schema.ts';

// The wire between the server and a plugin backend's child process, and the diagnostics the server keeps.
// Frames are `[u32 length][u32 call id][JSON]` over the child's fd 3 (see server/sandbox/child/framing.ts).
// The server validates every message the child sends with the schemas below; it never trusts the child.

/** Where in the host a plugin's handler is registered. Each needs a capability (server/sandbox/capabilities.ts). */
export const RegistrationPoint = z.enum([
  'route',
  'event',
  'artifact-load',
  'lineage-build',
  /** Nodes and edges added to a workspace's lineage (`host.lineage.addNodes`). */
  'lineage-nodes',
  'search-index',
  'run-start',
  'run-complete',
  'schedule-run-start',
  'schedule-run-complete',
  /** A scheduler trigger's check (`host.schedules.addTrigger`); `trigger` defines when it is asked. */
  'schedule-trigger',
  /** A tool's handler (`host.tools.register`); `tool` names it, and it must be declared in the manifest. */
  'tool',
  /** Hooks around every tool call in the plugin's workspaces (`host.tools.beforeCall`, `afterCall`, `onError`). */
  'tool-before',
  'tool-after',
  'tool-error',
]);
export type RegistrationPoint = z.infer<typeof RegistrationPoint>;

/** HTTP methods a plugin route may answer. */
export const RouteMethod = z.enum(['GET', 'POST', 'PUT', 'PATCH', 'DELETE']);
export type RouteMethod = z.infer<typeof RouteMethod>;

/** A route path below `/api/ext/<plugin>`: `/notes`, `/notes/:id`. */
export const RoutePath = z
  .string()
  .max(200)
  .regex(/^(\/(:?[A-Za-z0-9._~-]+))+$|^\/$/, 'must look like "/notes" or "/notes/:id"')
  .refine((p) => !p.split('/').some((s) => s === '.' || s === '..'), 'must not hold "." or ".." segments');

/** Plain facts about an error thrown in the child: what the plugin author and the admin see. */
export const ErrorInfo = z.object({
  message: z.string().max(4000),
  name: z.string().max(200).optional(),
  code: z.string().max(200).optional(),
  /** Set by Node's permission model on ERR_ACCESS_DENIED: which permission and which resource. */
  permission: z.string().max(200).optional(),
  resource: z.string().max(2000).optional(),
});
export type ErrorInfo = z.infer<typeof ErrorInfo>;

const WorkspaceName = z.string().min(1).max(200);

/**
 * Typed reads of a workspace the plugin is enabled in: its catalog, lineage and runs (`read-metadata`), and
 * read-only SQL in its DuckDB (`access-sql-workspace`). The server answers with the same bodies as the HTTP API.
 */
const dataCalls = [
  z.object({ fn: z.literal('data.models'), workspace: WorkspaceName, query: ModelListQuery.optional() }),
  z.object({ fn: z.literal('data.node'), workspace: WorkspaceName, uniqueId: z.string().min(1).max(1000) }),
  z.object({ fn: z.literal('data.lineage'), workspace: WorkspaceName, query: LineageQuery.partial().optional() }),
  z.object({ fn: z.literal('data.runs'), workspace: WorkspaceName, query: RunListQuery.partial().optional() }),
  z.object({ fn: z.literal('data.run'), workspace: WorkspaceName, id: z.string().min(1).max(200) }),
  z.object({ fn: z.literal('sql.query'), workspace: WorkspaceName, ...SqlQueryBody.shape }),
  z.object({ fn: z.literal('sql.tables'), workspace: WorkspaceName }),
] as const;
export const DataCall = z.discriminatedUnion('fn', dataCalls);
export type DataCall = z.infer<typeof DataCall>;

/** When the server asks a plugin's trigger whether to start a run (`host.schedules.addTrigger`). */
export const TriggerWhen = z.discriminatedUnion('kind', [
  /** After a run in the workspace `upstream` succeeded (another workspace than the trigger's). */
  z.object({ kind: z.literal('after-run'), upstream: WorkspaceName }),
  /** Every `everySeconds`: the plugin checks whether `source` is stale. */
  z.object({
    kind: z.literal('source-stale'),
    source: z.string().min(1).max(1000),
    everySeconds: z.number().int().min(10).max(86_400),
  }),
  /** When its webhook URL is called with its token (shown on the Schedules page to developers). */
  z.object({ kind: z.literal('webhook') }),
]);
export type TriggerWhen = z.infer<typeof TriggerWhen>;

/** A scheduler trigger a plugin adds: it starts runs of `workspace` through the runs service. */
export const PluginTrigger = z.object({
  name: z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'must be 1 to 63 lowercase letters, digits and dashes'),
  title: z.string().min(1).max(200).optional(),
  workspace: WorkspaceName,
  when: TriggerWhen,
});
export type PluginTrigger = z.infer<typeof PluginTrigger>;

/** A host API call from the child; the server checks the plugin's approved capabilities before doing it. */
export const HostCall = z.discriminatedUnion('fn', [
  z.object({
    fn: z.literal('register'),
    point: RegistrationPoint,
    /** The child's id of the handler; the server calls it back with this id. */
    handler: z.number().int().positive(),
    method: RouteMethod.optional(),
    path: RoutePath.optional(),
    event: LifecycleEvent.optional(),
    trigger: PluginTrigger.optional(),
    tool: ToolName.optional(),
    priority: z.number().int().min(-1000).max(1000).optional(),
    /** For `tool-before` only: `refuse` refuses the call when the hook cannot decide (`BeforeCallOptions`). */
    onFailure: z.enum(['allow', 'refuse']).optional(),
  }),
  z.object({ fn: z.literal('unregister'), handler: z.number().int().positive() }),
  /** The global configuration, or with `workspace` that workspace's (its overrides over the global values). */
  z.object({ fn: z.literal('config.get'), workspace: WorkspaceName.optional() }),
  /** Asks the host to run the artifact-load enrichers and search-index handlers again (`write-metadata`). */
  z.object({ fn: z.literal('metadata.refresh') }),
  ...dataCalls,
]);
export type HostCall = z.infer<typeof HostCall>;

/** Every message a child may send. */
export const ChildMessage = z.discriminatedUnion('type', [
  z.object({ type: z.literal('host'), id: z.number().int().positive(), call: HostCall }),
  /** The answer to a server call: `value` when ok, `error` when not. */
  z.object({
    type: z.literal('result'),
    id: z.number().int().positive(),
    ok: z.boolean(),
    value: z.unknown().optional(),
    error: ErrorInfo.optional(),
  }),
  z.object({ type: z.literal('activated'), ms: z.number() }),
  /** The child's network guard refused a connection (recorded as a rejected action). */
  z.object({ type: z.literal('denied'), action: z.string().max(300), message: z.string().max(2000) }),
  z.object({ type: z.literal('activate-failed'), error: ErrorInfo }),
  /** An uncaught error; the child exits right after sending it. */
  z.object({ type: z.literal('fatal'), error: ErrorInfo }),
  z.object({
    type: z.literal('log'),
    level: z.enum(['info', 'warn', 'error']),
    message: z.string().max(4000),
    data: z.record(z.string(), z.unknown()).optional(),
  }),
]);
export type ChildMessage = z.infer<typeof ChildMessage>;

/** A route's answer as it crosses: the body already serialised (`json` says how), so the server sends it as is. */
export interface WireAnswer {
  status?: number;
  headers?: Record<string, string>;
  text?: string;
  json?: boolean;
}

/** A workspace as a backend sees it; `targetDir` only when the plugin may read metadata. */
export interface BackendWorkspace {
  name: string;
  title: string;
  targetDir?: string;
}

/** Every message the server sends to a child. Typed here, trusted by the child. */
export type ServerMessage =
  | {
      type: 'init';
      plugin: string;
      version: string;
      entry: string;
      dataDir: string;
      capabilities: Capability[];
      /** Only the workspaces where the plugin is enabled. */
      workspaces: BackendWorkspace[];
      /** The hosts it may connect to (`permissions.network`); null: any (PLUGIN_NETWORK_ALLOWED). */
      network: string[] | null;
      /** Largest JSON result the child may send back, in bytes. */
      maxResultBytes: number;
    }
  /** `route`: the child sends the answer as a `WireAnswer`, its body serialised once, there. */
  | { type: 'call'; id: number; handler: number; payload: unknown; route?: true }
  | { type: 'reply'; id: number; ok: true; value: unknown }
  | { type: 'reply'; id: number; ok: false; error: ErrorInfo }
  | { type: 'shutdown' };

/** An isolation layer and whether it holds for a plugin, with a sentence saying how or why not. */
export const SandboxLayer = z.object({
  layer: z.enum([
    'process',
    'permission-model',
    'environment',
    'user-id',
    'network-namespace',
    'memory-cgroup',
    'heap-limit',
    'memory-watchdog',
    'signal-guard',
    'network-guard',
    'call-deadline',
  ]),
  active: z.boolean(),
  detail: z.string(),
});
export type SandboxLayer = z.infer<typeof SandboxLayer>;

/**
 * Where a plugin backend stands: `error` carries the reason, as do `starting` retries; `idle`: no process now (not
 * yet needed, or stopped after PLUGIN_BACKEND_IDLE_MS without calls), it starts on first use.
 */
export const BackendState = z.enum(['none', 'stopped', 'idle', 'starting', 'active', 'error']);
export type BackendState = z.infer<typeof BackendState>;

/** Counts and timings of one route, hook or event of a plugin. */
export const CallStats = z.object({
  kind: z.enum(['route', 'hook', 'event', 'tool']),
  name: z.string(),
  count: z.number().int(),
  errors: z.number().int(),
  timeouts: z.number().int(),
  /** Extra attempts made under the hook's retry policy (`backend.retries` in the manifest). */
  retries: z.number().int(),
  p50Ms: z.number().nullable(),
  p95Ms: z.number().nullable(),
  lastError: z.string().optional(),
});
export type CallStats = z.infer<typeof CallStats>;

/** Something the supervisor did or saw: a start, a crash, a restart, an open circuit, a swap. */
export const BackendEvent = z.object({
  at: z.string(),
  type: z.enum([
    'start',
    'activated',
    'activate-failed',
    'crash',
    'timeout',
    'restart',
    'circuit-open',
    'swap',
    'stop',
    'retry',
    'throttled',
  ]),
  message: z.string(),
});
export type BackendEvent = z.infer<typeof BackendEvent>;

/** A host call the sandbox or the capability checks refused. */
export const RejectedAction = z.object({
  at: z.string(),
  action: z.string(),
  capability: Capability.optional(),
  message: z.string(),
});
export type RejectedAction = z.infer<typeof RejectedAction>;

/** Route calls answered 429 before reaching the backend: over the plugin's concurrency limit, or its rate. */
export const RefusedCalls = z.object({ concurrency: z.number().int(), rate: z.number().int() });
export type RefusedCalls = z.infer<typeof RefusedCalls>;

/** `GET /api/plugins/:name/diagnostics`: everything the runtime knows about one plugin's backend. */
export const PluginDiagnostics = z.object({
  plugin: z.string(),
  kind: z.enum(['none', 'process', 'http']),
  state: BackendState,
  reason: z.string().optional(),
  revision: z.string().optional(),
  pid: z.number().int().optional(),
  lastStartAt: z.string().optional(),
  lastActivatedAt: z.string().optional(),
  activationMs: z.number().optional(),
  starts: z.number().int(),
  restarts: z.number().int(),
  crashes: z.number().int(),
  recentCrashes: z.array(z.object({ at: z.string(), reason: z.string() })),
  rejectedActions: z.array(RejectedAction),
  rejectedCount: z.number().int(),
  refusedCalls: RefusedCalls,
  calls: z.array(CallStats),
  layers: z.array(SandboxLayer),
  limits: z.object({ timeoutMs: z.number().int(), memoryMb: z.number().int() }),
  registrations: z.array(z.string()),
  events: z.array(BackendEvent),
  // The route fills these four for every installed plugin, from the cost history (server/plugins/metrics).
  /** Resident memory of the backend process now, in MB; null without a process. */
  memoryMb: z.number().nullable().optional(),
  /** The plugin's cost per interval, oldest first (PLUGIN_METRICS_KEEP points, PLUGIN_METRICS_INTERVAL_MS apart). */
  history: z.array(MetricsPoint).optional(),
  historyIntervalMs: z.number().int().positive().optional(),
  health: PluginHealth.optional(),
});
export type PluginDiagnostics = z.infer<typeof PluginDiagnostics>;
