// The `host` object a plugin backend's `activate` receives, built inside the child. Every function turns into
// a message to the server, which checks the plugin's approved capabilities; this side checks nothing, because
// a plugin could bypass it. Handlers stay here and are called back by id.
import type { HostCall, RegistrationPoint } from '@dbt-workbench/plugin-sdk/contracts/sandbox.schema';
import type { BackendDisposer, BackendHost, ToolCallContext } from '@dbt-workbench/plugin-sdk';

export type AnyHandler = (payload: unknown) => unknown;

export interface HostWiring {
  plugin: { name: string; version: string };
  dataDir: string;
  workspaces: BackendHost['workspaces'];
  env: Record<string, string>;
  handlers: Map<number, AnyHandler>;
  /** Sends a host call and resolves with the server's answer, or rejects with its refusal. */
  request(call: HostCall): Promise<unknown>;
  log(level: 'info' | 'warn' | 'error', message: string, data?: Record<string, unknown>): void;
}

/** Builds the host API over the child's side of the channel. */
export function createHost(wiring: HostWiring): BackendHost {
  let nextHandler = 1;

  async function register(
    point: RegistrationPoint,
    handler: unknown,
    extra: Partial<Extract<HostCall, { fn: 'register' }>> = {},
  ): Promise<BackendDisposer> {
    if (typeof handler !== 'function') throw new TypeError(`${point}: the handler must be a function`);
    const id = nextHandler++;
    wiring.handlers.set(id, handler as AnyHandler);
    try {
      await wiring.request({ ...extra, fn: 'register', point, handler: id });
    } catch (error) {
      wiring.handlers.delete(id);
      throw error;
    }
    let disposed = false;
    return async () => {
      if (disposed) return;
      disposed = true;
      wiring.handlers.delete(id);
      await wiring.request({ fn: 'unregister', handler: id });
    };
  }

  const ask = async <T>(call: HostCall): Promise<T> => (await wiring.request(call)) as T;

  const line = (level: 'info' | 'warn' | 'error') => (message: string, data?: Record<string, unknown>) =>
    wiring.log(level, String(message), data);

  return Object.freeze({
    plugin: Object.freeze({ ...wiring.plugin }),
    dataDir: wiring.dataDir,
    workspaces: Object.freeze(wiring.workspaces.map((w) => Object.freeze({ ...w }))),
    env: Object.freeze({ ...wiring.env }),
    routes: { register: (method, path, handler) => register('route', handler, { method, path }) },
    events: {
      on: (event, handler, options) =>
        register('event', handler, {
          event,
          ...(options?.priority === undefined ? {} : { priority: options.priority }),
        }),
    },
    metadata: {
      onArtifactLoad: (handler) => register('artifact-load', handler),
      refresh: async () => void (await wiring.request({ fn: 'metadata.refresh' })),
    },
    lineage: {
      onBuild: (handler) => register('lineage-build', handler),
      addNodes: (handler) => register('lineage-nodes', handler),
    },
    search: { onIndexBuild: (handler) => register('search-index', handler) },
    runs: {
      onStart: (handler) => register('run-start', handler),
      onComplete: (handler) => register('run-complete', handler),
    },
    schedules: {
      onRunStart: (handler) => register('schedule-run-start', handler),
      onRunComplete: (handler) => register('schedule-run-complete', handler),
      addTrigger: (trigger, check) => register('schedule-trigger', check, { trigger }),
    },
    tools: {
      register: (name, handler) => {
        if (typeof handler !== 'function')
          throw new TypeError(`tools.register ${name}: the handler must be a function`);
        // The server sends `{arguments, context}`; the author's handler takes them as two parameters.
        const call = (payload: unknown) => {
          const { arguments: args, context } = payload as { arguments: never; context: ToolCallContext };
          return handler(args, context);
        };
        return register('tool', call, { tool: name });
      },
      beforeCall: (handler, options) =>
        register('tool-before', handler, options?.onFailure ? { onFailure: options.onFailure } : {}),
      afterCall: (handler) => register('tool-after', handler),
      onError: (handler) => register('tool-error', handler),
    },
    data: {
      models: (workspace, query) => ask({ fn: 'data.models', workspace, ...(query ? { query } : {}) }),
      node: (workspace, uniqueId) => ask({ fn: 'data.node', workspace, uniqueId }),
      lineage: (workspace, query) => ask({ fn: 'data.lineage', workspace, ...(query ? { query } : {}) }),
      runs: (workspace, query) => ask({ fn: 'data.runs', workspace, ...(query ? { query } : {}) }),
      run: (workspace, id) => ask({ fn: 'data.run', workspace, id }),
    },
    sql: {
      query: (workspace, sql, options) =>
        ask({ fn: 'sql.query', workspace, sql, ...(options?.limit === undefined ? {} : { limit: options.limit }) }),
      tables: (workspace) => ask({ fn: 'sql.tables', workspace }),
    },
    config: {
      get: <T>(options?: { workspace?: string }) =>
        ask<T>({ fn: 'config.get', ...(options?.workspace === undefined ? {} : { workspace: options.workspace }) }),
    },
    log: { info: line('info'), warn: line('warn'), error: line('error') },
  } satisfies BackendHost);
}
