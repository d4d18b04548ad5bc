// The types a plugin backend is written against. A backend is a module (`backend.entry` in the manifest, a .js
// or .ts file in `backend/`) that exports `activate(host)`. It runs in its own sandboxed process: it reads only
// its own folder, writes only `host.dataDir`, sees only the environment variables it was granted, and reaches the
// server only through `host`, whose every function is checked against the plugin's approved capabilities.
//
// @example
// import type { BackendHost } from '@dbt-workbench/plugin-sdk';
// export async function activate(host: BackendHost): Promise<void> {
//   await host.routes.register('GET', '/hello', (request) => ({ body: { hello: request.user.username } }));
// }
import type { ModelList, ModelListQuery, NodeDetail } from './contracts/catalog.schema.ts';
import type { LifecycleEvent } from './contracts/lifecycle-events.ts';
import type { LineageAdditions, LineageGraph, LineageQuery } from './contracts/lineage.schema.ts';
import type { Run, RunList, RunListQuery } from './contracts/runs.schema.ts';
import type { SqlQueryResult, SqlTables } from './contracts/sql.schema.ts';
import type { WorkspaceRole } from './contracts/roles.ts';

/** Undoes a registration. */
export type BackendDisposer = () => Promise<void>;

/** What the module a manifest's `backend.entry` names must export. */
export interface BackendModule {
  activate(host: BackendHost): void | Promise<void>;
}

/** HTTP methods a plugin route may answer. */
export type BackendRouteMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** A call to `/api/ext/<plugin>/<path>`, made by a signed-in member of `workspace`. */
export interface BackendRequest {
  method: BackendRouteMethod;
  /** The path below `/api/ext/<plugin>`, like `/notes/42`. */
  path: string;
  /** Values of the `:name` segments of the registered path. */
  params: Record<string, string>;
  query: Record<string, string | string[]>;
  /** `content-type`, `accept` and `accept-language` only: cookies never reach a plugin. */
  headers: Record<string, string>;
  /** Parsed JSON for JSON bodies, text for others, undefined without a body. */
  body: unknown;
  user: { id: string; username: string; displayName: string; isInstanceAdmin: boolean };
  /** From the `x-workbench-workspace` header the shell's `sdk.fetch` sends. */
  workspace: { name: string; role: WorkspaceRole };
}

/** A route's answer. A `body` that is not a string is sent as JSON; at most 5 MB. */
export interface BackendResponse {
  status?: number;
  /** `content-type`, `cache-control`, `etag`, `last-modified`, `content-disposition` are passed on. */
  headers?: Record<string, string>;
  body?: unknown;
}

export type BackendRouteHandler = (request: BackendRequest) => BackendResponse | Promise<BackendResponse>;

/** The files of a workspace's dbt artifacts, readable by the plugin (with `read-metadata`). */
export interface ArtifactFiles {
  targetDir: string;
  manifest: string;
  catalog: string;
  runResults: string;
}

/** What an artifact-load handler gets: file paths, never the parsed artifacts (`artifacts` needs read-metadata). */
export interface ArtifactLoadContext {
  workspace: string;
  artifacts?: ArtifactFiles;
}

/** An addition to one node, or one of its columns: `fields` lands under `extensions[<plugin>]` there. */
export interface NodePatch {
  uniqueId: string;
  column?: string;
  fields: Record<string, unknown>;
}

/** A document a search-index handler adds to a workspace's catalog search; it goes when the plugin does. */
export interface SearchDocument {
  id: string;
  title: string;
  text?: string;
  tags?: string[];
  uniqueId?: string;
  resourceType?: string;
}

/** The selected lineage graph, a copy. */
export interface LineageBuildContext {
  workspace: string;
  focus: string | null;
  nodes: { id: string; name: string; resourceType: string; tags: string[]; status: string | null }[];
  edges: { source: string; target: string }[];
}

/** Badges, notes and extra edges drawn over the lineage graph. */
export interface BackendLineageOverlay {
  nodeBadges?: { nodeId: string; label: string; tone?: 'good' | 'warn' | 'bad' | 'neutral'; title?: string }[];
  annotations?: { nodeId?: string; text: string }[];
  extraEdges?: { source: string; target: string; label?: string }[];
}

/** A run as hooks see it. */
export interface BackendRun {
  id: string;
  workspace: string;
  status: string;
  trigger: string;
  command: string;
  [field: string]: unknown;
}

export interface RunHookContext {
  workspace: string;
  run: BackendRun;
  status?: string;
  /**
   * The workspace's artifact files, where the run's `run_results.json` lands (hooks get them with
   * `read-metadata`; reading them needs it too).
   */
  artifacts?: ArtifactFiles;
}

export interface ScheduleHookContext extends RunHookContext {
  schedule: { id: string; name: string; cron: string };
}

/** A scheduler trigger: its name within the plugin, the workspace it starts runs of, and when it is asked. */
export interface BackendTrigger {
  /** 1 to 63 lowercase letters, digits and dashes; unique within the plugin. */
  name: string;
  title?: string;
  workspace: string;
  when:
    | { kind: 'after-run'; upstream: string }
    | { kind: 'source-stale'; source: string; everySeconds: number }
    | { kind: 'webhook' };
}

/** What a trigger's check gets: why it is asked, and for a webhook the JSON body it was called with. */
export interface TriggerCheckContext {
  workspace: string;
  trigger: string;
  kind: BackendTrigger['when']['kind'];
  /** `after-run`: the upstream run that succeeded. */
  upstreamRun?: BackendRun;
  /** `source-stale`: the source to check. */
  source?: string;
  /** `webhook`: the request's JSON body. */
  body?: unknown;
}

/** A check's answer: `true` or nothing starts a run; `false` or `{ run: false }` does not. `reason` is audited. */
export type TriggerDecision = boolean | void | { run: boolean; reason?: string };

/** What each lifecycle event carries. */
export interface LifecycleEventPayloads {
  'on-plugin-load': { plugin: string; version: string };
  'on-plugin-unload': { plugin: string; version: string };
  'on-plugin-update': { plugin: string; from: string; to: string };
  'on-artifact-load': ArtifactLoadContext;
  'on-lineage-build': { workspace: string; focus: string | null; nodes: number };
  'on-catalog-refresh': { workspace: string; reason: 'load' | 'rebuild'; searchDocuments: number };
  'on-schedule-run-start': ScheduleHookContext;
  'on-schedule-run-complete': ScheduleHookContext;
  'on-run-complete': RunHookContext;
}

type Handler<P, R = void> = (payload: P) => R | Promise<R>;

/** Who calls a tool, and where: a member of `workspace`, from the command palette (`palette`) or an agent (`mcp`). */
export interface ToolCallContext {
  /** The tool as callers name it: `<plugin>.<name>`, or the bare name of a core tool. */
  tool: string;
  user: { id: string; username: string; displayName: string; isInstanceAdmin: boolean };
  workspace: { name: string; role: WorkspaceRole };
  via: 'palette' | 'mcp';
}

/**
 * A tool's handler. `args` already passed the manifest's `parameters` schema; what it returns must pass the
 * `result` schema (a JSON object), or the caller gets an error instead. Throw to fail the call.
 */
export type ToolHandler<Args = Record<string, unknown>, Result = Record<string, unknown>> = (
  args: Args,
  context: ToolCallContext,
) => Result | Promise<Result>;

/** What hooks around tool calls get (`intercept-tool-calls`): the call, and after it the result or the error. */
export interface ToolCallEvent extends ToolCallContext {
  arguments: Record<string, unknown>;
  effect: 'read' | 'change';
  /** The plugin offering the tool; null for core tools. */
  plugin: string | null;
}

/** A before-call hook's answer: `{refuse: "reason"}` stops the call, and the caller sees the reason. */
export type ToolCallDecision = { refuse: string } | void;

/** How a before-call hook is run. */
export interface BeforeCallOptions {
  /**
   * What happens to a call when this hook cannot decide: it throws, passes its deadline, or its backend cannot
   * start. `'allow'` (the default) lets the call through, so a broken observer never stops anyone's tools;
   * `'refuse'` refuses it, naming the failure, as a policy that must hold should.
   */
  onFailure?: 'allow' | 'refuse';
}

/**
 * Typed reads of a workspace's metadata (`read-metadata`), from the server's own index: the same bodies as the
 * HTTP API's, never the artifact files. Each names a workspace the plugin is enabled in; any other is refused.
 */
export interface BackendData {
  /** Models, or with `resourceType` (`source`, `seed`, `snapshot`, `all`, ...) other nodes, with their last status. */
  models(workspace: string, query?: ModelListQuery): Promise<ModelList>;
  /** One node with its columns, tests, SQL, upstream and downstream. */
  node(workspace: string, uniqueId: string): Promise<NodeDetail>;
  /** A lineage subgraph: around `focus`, or the nodes a dbt-style `select` picks. Other plugins' overlays are not included. */
  lineage(workspace: string, query?: Partial<LineageQuery>): Promise<LineageGraph>;
  /** Runs, newest first. */
  runs(workspace: string, query?: Partial<RunListQuery>): Promise<RunList>;
  run(workspace: string, id: string): Promise<Run>;
}

/**
 * Read-only SQL in a workspace's DuckDB (`access-sql-workspace`): its seeds and its project's models. A query
 * runs at most the plugin's `backend.limits.timeoutMs` and answers at most `limit` rows (1,000 by default, 10,000
 * at most); writes and reading files outside it fail.
 */
export interface BackendSql {
  query(workspace: string, sql: string, options?: { limit?: number }): Promise<SqlQueryResult>;
  tables(workspace: string): Promise<SqlTables>;
}

/**
 * The host a backend's `activate` receives: functions only. Each registration is checked by the server against
 * the approved capabilities; one outside them rejects with an Error naming the capability, and is recorded in the
 * plugin's diagnostics. Every call into the plugin has a deadline (`backend.limits.timeoutMs`).
 */
export interface BackendHost {
  readonly plugin: { readonly name: string; readonly version: string };
  /** A folder only this plugin may write; it survives restarts and updates. */
  readonly dataDir: string;
  /** The workspaces of the server; `targetDir` is set with `read-metadata`. */
  readonly workspaces: readonly { name: string; title: string; targetDir?: string }[];
  /** The environment variables granted (`permissions.env` with `access-environment-config`), and no others. */
  readonly env: Readonly<Record<string, string>>;
  routes: {
    /** Serves `method path` under `/api/ext/<plugin>` (`extend-api`). Paths may hold `:name` segments. */
    register(method: BackendRouteMethod, path: string, handler: BackendRouteHandler): Promise<BackendDisposer>;
  };
  events: {
    /** Subscribes to a lifecycle event (SPEC 4.6); lower `priority` runs first among independent plugins. */
    on<E extends LifecycleEvent>(
      event: E,
      handler: Handler<LifecycleEventPayloads[E]>,
      options?: { priority?: number },
    ): Promise<BackendDisposer>;
  };
  metadata: {
    /** Enriches every artifact load with per-node patches (`write-metadata`; artifact paths need `read-metadata`). */
    onArtifactLoad(handler: Handler<ArtifactLoadContext, NodePatch[] | void>): Promise<BackendDisposer>;
    /** Runs the enrichers and search-index handlers again, when the plugin's own data changed (`write-metadata`). */
    refresh(): Promise<void>;
  };
  lineage: {
    /** Adds an overlay to each lineage answer (`modify-lineage`). */
    onBuild(handler: Handler<LineageBuildContext, BackendLineageOverlay | void>): Promise<BackendDisposer>;
    /**
     * Adds nodes and edges to a workspace's lineage (`modify-lineage`), e.g. a BI tool's dashboards as exposures:
     * asked at each lineage answer and search, they are drawn, searched and picked by selectors like the project's.
     */
    addNodes(handler: Handler<{ workspace: string }, LineageAdditions | void>): Promise<BackendDisposer>;
  };
  search: {
    /** Adds documents to each rebuild of a workspace's search index (`write-metadata`). */
    onIndexBuild(handler: Handler<ArtifactLoadContext, SearchDocument[] | void>): Promise<BackendDisposer>;
  };
  runs: {
    /** Before a run's command starts (`register-schedule-hooks`). It cannot stop the run. */
    onStart(handler: Handler<RunHookContext>): Promise<BackendDisposer>;
    /** After a run ended and its status was stored (`register-schedule-hooks`). */
    onComplete(handler: Handler<RunHookContext>): Promise<BackendDisposer>;
  };
  schedules: {
    /** When a schedule started a run (`register-schedule-hooks`). */
    onRunStart(handler: Handler<ScheduleHookContext>): Promise<BackendDisposer>;
    /** When a run a schedule started ended (`register-schedule-hooks`). */
    onRunComplete(handler: Handler<ScheduleHookContext>): Promise<BackendDisposer>;
    /**
     * Adds a scheduler trigger (`register-schedule-hooks`): when `trigger.when` happens, the server asks `check`,
     * and starts a run of `trigger.workspace` unless it answers false or `{ run: false }`. Runs are rate limited
     * (one per trigger per PLUGIN_TRIGGER_MIN_INTERVAL_MS, none while its previous one runs), audited, and listed
     * with your plugin's name on the Schedules page. They stop when your plugin is disabled there.
     *
     * @example
     * await host.schedules.addTrigger(
     *   { name: 'after-staging', workspace: 'marts', when: { kind: 'after-run', upstream: 'staging' } },
     *   () => ({ run: true, reason: 'staging was rebuilt' }),
     * );
     */
    addTrigger(trigger: BackendTrigger, check: Handler<TriggerCheckContext, TriggerDecision>): Promise<BackendDisposer>;
  };
  tools: {
    /**
     * Implements the tool `name` declared in the manifest's `tools`; the server calls it for the palette and MCP
     * with validated arguments, under the plugin's deadline, rate and concurrency limits.
     *
     * @example
     * await host.tools.register<{ model: string }>('owner_of', async ({ model }) => ({ owner: await find(model) }));
     */
    register<Args = Record<string, unknown>, Result = Record<string, unknown>>(
      name: string,
      handler: ToolHandler<Args, Result>,
    ): Promise<BackendDisposer>;
    /**
     * Before every tool call in the plugin's workspaces; `{refuse}` stops it (`intercept-tool-calls`).
     *
     * @example
     * // A policy that must hold: a call is refused, not let through, when the check itself fails.
     * await host.tools.beforeCall(async (call) => ((await allowed(call)) ? undefined : { refuse: 'not allowed' }), {
     *   onFailure: 'refuse',
     * });
     */
    beforeCall(
      handler: Handler<ToolCallEvent, ToolCallDecision>,
      options?: BeforeCallOptions,
    ): Promise<BackendDisposer>;
    /** After every tool call that succeeded, with its result (`intercept-tool-calls`). */
    afterCall(handler: Handler<ToolCallEvent & { result: unknown; durationMs: number }>): Promise<BackendDisposer>;
    /** After every tool call that failed or was refused, with the error's code and message (`intercept-tool-calls`). */
    onError(handler: Handler<ToolCallEvent & { error: { code: string; message: string } }>): Promise<BackendDisposer>;
  };
  /** Reads of the workspaces' metadata (`read-metadata`). */
  data: BackendData;
  /** Read-only SQL in a workspace's database (`access-sql-workspace`). */
  sql: BackendSql;
  config: {
    /**
     * The plugin's configuration: the admin's values over the manifest's `configuration.default`; with
     * `{ workspace }`, that workspace's configuration (its overrides over the global values). It changes live:
     * subscribe to nothing, read it when you need it.
     */
    get<T = unknown>(options?: { workspace?: string }): Promise<T>;
  };
  /**
   * Lines in the plugin's log (Admin → Plugins → the plugin's diagnostics → Logs) and the server's log; at most
   * PLUGIN_LOG_LINES_PER_SECOND a second, the rest dropped and counted.
   */
  log: {
    info(message: string, data?: Record<string, unknown>): void;
    warn(message: string, data?: Record<string, unknown>): void;
    error(message: string, data?: Record<string, unknown>): void;
  };
}
