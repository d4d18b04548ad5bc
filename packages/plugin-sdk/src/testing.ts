// Test helpers for plugin authors (`@dbt-workbench/plugin-sdk/testing`): a fake frontend SDK whose calls are
// recorded, to render a contribution in a unit test, and a fake backend host whose registrations can be called,
// to test a backend handler without a server. Framework-free: use them with vitest, jest or node:test.
import type {
  BackendData,
  BackendHost,
  BackendSql,
  BackendTrigger,
  TriggerCheckContext,
  BackendRequest,
  BackendResponse,
  BackendRouteHandler,
  BackendRouteMethod,
  LifecycleEventPayloads,
  ToolCallContext,
  ToolHandler,
} from './backend.ts';
import type { Capability } from './contracts/capabilities.ts';
import { hostDataRefusal, toBridgeBody } from './contracts/ui-isolation.ts';
import type { HostData, PluginSdk, PluginStorage } from './plugin-sdk.ts';

/** One recorded call on a fake: `{ method: 'notify', args: ['Saved', { tone: 'success' }] }`. */
export interface RecordedCall {
  method: string;
  args: unknown[];
}

/** A `PluginSdk` for tests, with every call recorded in `calls` (newest last). */
export interface FakeSdk extends PluginSdk {
  readonly calls: RecordedCall[];
  /** The calls to one method, e.g. `sdk.callsTo('navigate')`. */
  callsTo(method: string): unknown[][];
}

/** What a test may replace in a fake SDK; `data` methods may be given one by one. */
export type FakeSdkOverrides = Partial<Omit<PluginSdk, 'data' | 'storage' | 'apiVersion'>> & {
  data?: Partial<HostData>;
};

/** How the fake behaves: as the app runs the plugin's UI. */
export interface FakeSdkOptions {
  /**
   * `isolated` (the app's default) applies the frame's rule that `fetch` bodies are strings, URLSearchParams or
   * bytes; `in-page` (the fake's default) does not. Stored values come back as JSON copies at both levels.
   */
  level?: 'isolated' | 'in-page';
  /** When given, `data` calls the plugin was not approved for reject as the app rejects them. */
  capabilities?: Capability[];
}

/**
 * A fake `sdk` prop. Reads return the overrides or harmless defaults; `data` methods not overridden reject with
 * an error naming them; `fetch` answers 404 unless overridden; storage is in memory.
 *
 * @example
 * const sdk = createFakeSdk({ config: { minPassRate: 80 } }, { level: 'isolated', capabilities: ['read-metadata'] });
 * render(<Widget sdk={sdk} />);
 * expect(sdk.callsTo('navigate')).toEqual([['/ext/quality']]);
 */
export function createFakeSdk(overrides: FakeSdkOverrides = {}, options: FakeSdkOptions = {}): FakeSdk {
  const calls: RecordedCall[] = [];
  const record = (method: string, args: unknown[]) => calls.push({ method, args });
  const values = new Map<string, unknown>();
  const isolated = options.level === 'isolated';
  // The app keeps values as JSON at both levels: a Date comes back as its ISO string.
  const stored = (value: unknown): unknown => JSON.parse(JSON.stringify(value ?? null));
  const storage: PluginStorage = {
    get: (key) => (record('storage.get', [key]), values.get(key)),
    set: (key, value) => (record('storage.set', [key, value]), void values.set(key, stored(value))),
    remove: (key) => (record('storage.remove', [key]), void values.delete(key)),
    clear: () => (record('storage.clear', []), values.clear()),
  };
  const dataMethods = ['models', 'node', 'search', 'summary', 'runs', 'sql'] as const;
  const data = Object.fromEntries(
    dataMethods.map((name) => [
      name,
      (...args: unknown[]) => {
        record(`data.${name}`, args);
        const refusal = options.capabilities && hostDataRefusal(name, options.capabilities);
        if (refusal) return Promise.reject(new Error(`sdk.data.${name} refused: ${refusal}`));
        const given = overrides.data?.[name] as ((...a: unknown[]) => Promise<unknown>) | undefined;
        return given ? given(...args) : Promise.reject(new Error(`fake sdk: data.${name} was not given a result`));
      },
    ]),
  ) as unknown as HostData;
  return {
    apiVersion: 1,
    plugin: overrides.plugin ?? { name: 'test-plugin', version: '0.0.0' },
    workspace: overrides.workspace ?? { name: 'test-workspace', title: 'Test workspace' },
    user: overrides.user ?? { username: 'tester', displayName: 'Tester', role: 'developer' },
    config: overrides.config ?? {},
    data,
    storage,
    fetch(path, init) {
      record('fetch', init === undefined ? [path] : [path, init]);
      if (isolated) {
        try {
          toBridgeBody(init?.body);
        } catch (error) {
          return Promise.reject(error as Error);
        }
      }
      return overrides.fetch ? overrides.fetch(path, init) : Promise.resolve(new Response(null, { status: 404 }));
    },
    notify(message, options) {
      record('notify', options === undefined ? [message] : [message, options]);
      overrides.notify?.(message, options);
    },
    navigate(to) {
      record('navigate', [to]);
      overrides.navigate?.(to);
    },
    calls,
    callsTo: (method) => calls.filter((c) => c.method === method).map((c) => c.args),
  };
}

/** A `BackendHost` for tests: registrations are kept so a test can call them. */
export interface FakeHost extends BackendHost {
  /** Calls the route registered for `method path` (matching `:name` segments), as the server would. */
  request(method: BackendRouteMethod, path: string, request?: Partial<BackendRequest>): Promise<BackendResponse>;
  /** Calls every handler of a lifecycle event, in priority order; returns their results. */
  emit<E extends keyof LifecycleEventPayloads>(event: E, payload: LifecycleEventPayloads[E]): Promise<unknown[]>;
  /** The handlers registered per hook: `artifactLoad`, `lineageBuild`, `indexBuild`, `runStart`, ... */
  readonly hooks: Record<string, ((payload: never) => unknown)[]>;
  /** Calls the tool registered as `name`, as the server would after validating `args`. */
  callTool(name: string, args: Record<string, unknown>, context?: Partial<ToolCallContext>): Promise<unknown>;
  /** What the backend logged, and how often it asked for a metadata refresh. */
  readonly logs: { level: 'info' | 'warn' | 'error'; message: string; data?: Record<string, unknown> }[];
  readonly refreshes: number;
  /** The scheduler triggers added, by name, with their checks. */
  readonly triggers: Map<string, { trigger: BackendTrigger; check: (context: TriggerCheckContext) => unknown }>;
}

export interface FakeHostOptions {
  plugin?: { name: string; version: string };
  /** Required: a folder the test created (the plugin's writable data folder). */
  dataDir: string;
  workspaces?: { name: string; title: string; targetDir?: string }[];
  env?: Record<string, string>;
  config?: unknown;
  /** Answers of `host.data` and `host.sql` methods; one not given rejects with an error naming it. */
  data?: Partial<BackendData>;
  sql?: Partial<BackendSql>;
}

/** `host.data` or `host.sql` of a fake host: the given methods, the others rejecting with an error naming them. */
function fakeMethods<T extends object>(area: string, names: readonly (keyof T & string)[], given: Partial<T> = {}): T {
  return Object.fromEntries(
    names.map((name) => [
      name,
      given[name] ?? (() => Promise.reject(new Error(`fake host: ${area}.${name} was not given a result`))),
    ]),
  ) as T;
}

/** Matches a registered path like `/notes/:id` against `/notes/42`; returns the params or undefined. */
function matchPath(pattern: string, actual: string): Record<string, string> | undefined {
  const want = pattern.split('/');
  const got = actual.split('?')[0]!.split('/');
  if (want.length !== got.length) return undefined;
  const params: Record<string, string> = {};
  for (const [i, segment] of want.entries()) {
    if (segment.startsWith(':')) params[segment.slice(1)] = decodeURIComponent(got[i]!);
    else if (segment !== got[i]) return undefined;
  }
  return params;
}

/**
 * A fake backend host: `await activate(host)`, then `host.request('GET', '/notes', { query: { model } })`.
 * Requests default to a developer `tester` in workspace `test-workspace`. Disposers remove the registration.
 */
export function createFakeHost(options: FakeHostOptions): FakeHost {
  const routes: { method: BackendRouteMethod; path: string; handler: BackendRouteHandler }[] = [];
  const events: { event: string; priority: number; handler: (payload: never) => unknown }[] = [];
  const hooks: Record<string, ((payload: never) => unknown)[]> = {};
  const tools = new Map<string, ToolHandler<never, unknown>>();
  const logs: FakeHost['logs'] = [];
  const triggers: FakeHost['triggers'] = new Map();
  let refreshes = 0;
  const hook = (name: string) => async (handler: (payload: never) => unknown) => {
    (hooks[name] ??= []).push(handler);
    return async () => void hooks[name]!.splice(hooks[name]!.indexOf(handler), 1);
  };
  const host: FakeHost = {
    plugin: options.plugin ?? { name: 'test-plugin', version: '0.0.0' },
    dataDir: options.dataDir,
    workspaces: options.workspaces ?? [{ name: 'test-workspace', title: 'Test workspace' }],
    env: options.env ?? {},
    routes: {
      async register(method, path, handler) {
        const entry = { method, path, handler };
        routes.push(entry);
        return async () => void routes.splice(routes.indexOf(entry), 1);
      },
    },
    events: {
      async on(event, handler, opts) {
        const entry = { event, priority: opts?.priority ?? 0, handler: handler as (payload: never) => unknown };
        events.push(entry);
        return async () => void events.splice(events.indexOf(entry), 1);
      },
    },
    metadata: {
      onArtifactLoad: hook('artifactLoad'),
      async refresh() {
        refreshes++;
      },
    },
    lineage: { onBuild: hook('lineageBuild'), addNodes: hook('lineageNodes') },
    search: { onIndexBuild: hook('indexBuild') },
    runs: { onStart: hook('runStart'), onComplete: hook('runComplete') },
    schedules: {
      onRunStart: hook('scheduleRunStart'),
      onRunComplete: hook('scheduleRunComplete'),
      addTrigger: async (trigger, check) => {
        triggers.set(trigger.name, { trigger, check });
        return async () => void triggers.delete(trigger.name);
      },
    },
    tools: {
      async register(name, handler) {
        tools.set(name, handler as ToolHandler<never, unknown>);
        return async () => void tools.delete(name);
      },
      beforeCall: hook('toolBefore'),
      afterCall: hook('toolAfter'),
      onError: hook('toolError'),
    },
    data: fakeMethods<BackendData>('data', ['models', 'node', 'lineage', 'runs', 'run'], options.data),
    sql: fakeMethods<BackendSql>('sql', ['query', 'tables'], options.sql),
    config: { get: async <T>() => (options.config ?? {}) as T },
    log: {
      info: (message, data) => void logs.push({ level: 'info', message, ...(data ? { data } : {}) }),
      warn: (message, data) => void logs.push({ level: 'warn', message, ...(data ? { data } : {}) }),
      error: (message, data) => void logs.push({ level: 'error', message, ...(data ? { data } : {}) }),
    },
    async request(method, path, request = {}) {
      for (const route of routes) {
        const params = route.method === method ? matchPath(route.path, path) : undefined;
        if (!params) continue;
        return route.handler({
          method,
          path,
          params,
          query: {},
          headers: {},
          body: undefined,
          user: { id: 'u-tester', username: 'tester', displayName: 'Tester', isInstanceAdmin: false },
          workspace: { name: 'test-workspace', role: 'developer' },
          ...request,
        });
      }
      throw new Error(`fake host: no route registered for ${method} ${path}`);
    },
    async callTool(name, args, context = {}) {
      const handler = tools.get(name);
      if (!handler) throw new Error(`fake host: no tool registered as ${name}`);
      return handler(
        args as never,
        {
          tool: `${host.plugin.name}.${name}`,
          user: { id: 'u-tester', username: 'tester', displayName: 'Tester', isInstanceAdmin: false },
          workspace: { name: 'test-workspace', role: 'developer' },
          via: 'palette',
          ...context,
        } as never,
      );
    },
    async emit(event, payload) {
      const handlers = events.filter((e) => e.event === event).sort((a, b) => a.priority - b.priority);
      const results: unknown[] = [];
      for (const h of handlers) results.push(await h.handler(payload as never));
      return results;
    },
    hooks,
    logs,
    triggers,
    get refreshes() {
      return refreshes;
    },
  };
  return host;
}
