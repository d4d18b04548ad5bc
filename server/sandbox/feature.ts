import type { BackendState, PluginDiagnostics } from '@dbt-workbench/plugin-sdk/contracts/sandbox.schema';
import type { Feature } from '../context.ts';
import type { PluginRecord } from '../plugins/evaluate.ts';
import type { PluginRegistry } from '../plugins/registry.ts';
import { watchBackends } from './backend-watcher.ts';
import { removeCgroupParent } from './cgroup.ts';
import { registerDiagnosticsRoutes } from './diagnostics-routes.ts';
import { createEventBus, type EventBus } from './events.ts';
import { probeSandbox } from './layers.ts';
import { reportedState, type ReportedState } from './reported-state.ts';
import { createWorkspaceConfigStore } from '../plugins/workspace-config-store.ts';
import { createHostData, type HostDataServices } from './host-data.ts';
import { pluginConfigReader } from './plugin-config.ts';
import { registerProxyRoutes } from './proxy-routes.ts';
import { loadRegistrationMemory } from './registration-memory.ts';
import { createBackendRuntime, type BackendRuntime, type RuntimeOptions } from './runtime.ts';
import { wireSeams, type HostSeams } from './seams.ts';
import { backendSecret } from './backend-secret.ts';
import type { StatsWindow } from './stats.ts';
import type { BackendStatus, RestartPolicy } from './supervisor.ts';

/** The plugin backends feature, with what the registry and the API may read about each backend. */
export interface SandboxFeature extends Feature {
  /** The runtime state of a plugin's backend: `none` without one (or before start), `error` with the reason. */
  backendState(name: string): { state: BackendState; reason?: string };
  diagnostics(name: string): PluginDiagnostics | undefined;
  /** Lifecycle events, for other features to emit (undefined before start or with the plugin system off). */
  events(): EventBus | undefined;
}

/** What the rest of the app may ask about plugin backends (the registry's API and pages, remove's 409). */
export interface PluginBackendsView {
  /**
   * `none` without a backend entry, `error` with the reason (circuit open, entry missing), `idle` without a process
   * (it starts when first needed; `idleSince` once it stopped for being idle).
   */
  state(name: string): BackendStatus;
  /** Calls running in the plugin's backend now. */
  inFlight(name: string): number;
  diagnostics(name: string): PluginDiagnostics | undefined;
  /** What the plugin's backend did since the previous take (the cost history's interval); starts a new window. */
  takeWindow(name: string): StatsWindow;
  /** The process id of its running backend process; undefined without one. */
  pid(name: string): number | undefined;
  /** The plugin's state as admins see it: `loading` while its backend starts, `error` while it is down. */
  reported(record: PluginRecord): ReportedState;
  /** Starts its backend afresh from the code on disk; resolves once the new process answers, or with why not. */
  reload(name: string): Promise<{ ok: true } | { ok: false; reason: string }>;
  /** The runtime itself, for features that call backends' handlers (tools: `server/tools`). */
  runtime(): BackendRuntime;
}

const views = new WeakMap<PluginRegistry, PluginBackendsView>();

/**
 * The plugin backends of the app that owns `registry` (one per app, so tests with several apps stay apart);
 * undefined before the feature starts or with the plugin system off.
 *
 * @example
 * const backend = pluginBackendsOf(context.plugins)?.state('model-notes'); // { state: 'active' }
 */
export function pluginBackendsOf(registry: PluginRegistry): PluginBackendsView | undefined {
  return views.get(registry);
}

export interface SandboxFeatureOptions {
  /** Restart timings (and the retry timings of `backend.url` backends); tests shorten them. */
  policy?: RestartPolicy;
  /** How often a `backend.url` backend's registrations are read again; 60 s by default. */
  remoteRefreshMs?: number;
}

/**
 * `seams`: the hook points to plug backends into and the services their data calls read; the app's own services
 * (`context.services`) when not given.
 * Runs every active plugin's backend in its own sandboxed, supervised process (SPEC 4.5, 4.6, 5.6): serves
 * `/api/ext/<plugin>/*`, delivers lifecycle events, plugs backends into the host's seams, swaps builds without
 * dropping calls, and serves `GET /api/plugins/:name/diagnostics`.
 */
export function createSandboxFeature(
  seams?: HostSeams & HostDataServices,
  options: SandboxFeatureOptions = {},
): SandboxFeature {
  let runtime: BackendRuntime | undefined;
  let bus: EventBus | undefined;
  let lookup: ((name: string) => PluginRecord | undefined) | undefined;
  return {
    name: 'plugin-backends',
    backendState: (name) => runtime?.backendState(name) ?? { state: 'none' },
    diagnostics(name) {
      const record = lookup?.(name);
      return record && runtime ? runtime.diagnostics(record) : undefined;
    },
    events: () => bus,
    async start(app, context) {
      const { settings, logger: appLogger, plugins } = context;
      if (!settings.pluginSystemEnabled) return;
      const logger = appLogger.child({ component: 'plugin-backends' });
      const own = settings.pluginBackends;
      const support = probeSandbox({ execPath: process.execPath, uid: own.uidBase, withoutOsLayers: !own.osLayers });
      logger.info(
        Object.fromEntries(
          Object.entries(support).map(([layer, check]) => [layer, check.ok ? check.detail : `off: ${check.detail}`]),
        ),
        'plugin backend sandbox layers checked',
      );
      // Bound below: the runtime asks the seams to refresh, and the seams follow the runtime.
      let refreshMetadata = () => {};
      // Open shells learn of each change of a plugin's reported state (its backend starting, down, back), and of its
      // backend going idle (the plugin stays active; the card says so).
      const published = new Map<string, string>();
      const stateChanged = (name: string) => {
        const record = plugins.get(name);
        if (!record || !runtime) return;
        const backend = runtime.backendState(name);
        const { state } = reportedState(record, backend);
        const seen = `${state}${backend.state === 'idle' ? ' idle' : ''}`;
        if (published.get(name) === seen) return;
        published.set(name, seen);
        context.events.publish({ type: 'plugin-state-changed', plugin: name, state, at: new Date().toISOString() });
      };
      const secret = await backendSecret(own.secret, settings.dataDirectory, context.db);
      const memory = await loadRegistrationMemory(context.db, logger);
      const runtimeOptions: RuntimeOptions = {
        secret,
        uids: new Map<string, number>(),
        settings: {
          timeoutMs: own.timeoutMs,
          memoryMb: own.memoryMb,
          uidBase: own.uidBase,
          networkAllowed: own.networkAllowed,
          dataDirectory: settings.dataDirectory,
          maxBodyBytes: own.maxResponseBytes,
          ratePerSecond: own.ratePerSecond,
          rateBurst: own.rateBurst,
          drainMs: own.drainMs,
        },
        support,
        workspaces: context.workspaces,
        logger,
        log: context.pluginLogs.write,
        config: pluginConfigReader(plugins, createWorkspaceConfigStore(context.db)),
        data: createHostData({
          services: seams ?? context.services,
          workspaces: context.workspaces,
          plugin: (name) => plugins.get(name),
          defaultTimeoutMs: own.timeoutMs,
        }),
        refreshMetadata: () => refreshMetadata(),
        stateChanged,
        // Backends whose build ran here before stay idle until first needed; idle ones stop after idleMs.
        memory,
        idleMs: own.idleMs,
        lifecycle: (name, backend, own, timeoutMs) =>
          bus?.deliverOwn(name, backend, own, timeoutMs) ?? Promise.resolve(),
        ...(plugins.protectedPaths ? { protectedPaths: plugins.protectedPaths } : {}),
        ...(options.policy ? { policy: options.policy } : {}),
        ...(options.remoteRefreshMs ? { remoteRefreshMs: options.remoteRefreshMs } : {}),
      };
      const rt = createBackendRuntime(runtimeOptions);
      // A developer's backend dev slot: the same sandbox, limits and user ids, a data folder of its own; it serves
      // that developer's route calls only, so it reports no state and hears no lifecycle event.
      const { memory: _memory, lifecycle: _lifecycle, stateChanged: _stateChanged, ...slotOptions } = runtimeOptions;
      context.devBackends?.attach((dataDirectory) =>
        createBackendRuntime({ ...slotOptions, settings: { ...slotOptions.settings, dataDirectory } }),
      );
      runtime = rt;
      lookup = (name) => plugins.get(name);
      views.set(plugins, {
        state: (name) => rt.backendState(name),
        inFlight: (name) => rt.active(name)?.instance.inFlight() ?? 0,
        diagnostics: (name) => {
          const record = plugins.get(name);
          return record ? rt.diagnostics(record) : undefined;
        },
        takeWindow: (name) => rt.stats(name).takeWindow(),
        pid: (name) => rt.active(name)?.instance.pid,
        reported: (record) => reportedState(record, rt.backendState(record.name)),
        reload: async (name) => {
          const record = plugins.get(name);
          return record ? rt.reload(record) : { ok: false, reason: `no plugin named "${name}"` };
        },
        runtime: () => rt,
      });
      const eventBus = createEventBus({ runtime: rt, plugins: () => plugins.list(), logger });
      bus = eventBus;
      const wired = wireSeams({
        seams: seams ?? context.services,
        runtime: rt,
        events: eventBus,
        plugins: () => plugins.list(),
        workspaces: context.workspaces,
        logger,
      });
      refreshMetadata = wired.refreshMetadata;
      await registerProxyRoutes(app, {
        runtime: rt,
        plugins,
        guards: context.guards,
        users: context.users,
        workspaces: context.workspaces,
        secret,
        maxConcurrentCalls: own.maxConcurrentCalls,
        pluginTokens: context.pluginTokens,
        devRuntimeOf: (userId, plugin) => context.devBackends?.runtimeOf(userId, plugin),
      });
      registerDiagnosticsRoutes(app, { runtime: rt, plugins, guards: context.guards, db: context.db });

      const watcher = watchBackends(logger, () => rt.sync(plugins.list()));
      let known = new Map(plugins.active().map((p) => [p.name, p.manifest?.version ?? '']));
      const follow = () => {
        const list = plugins.list();
        rt.sync(list);
        if (settings.watchPlugins) watcher.follow(list);
      };
      follow();
      const unsubscribe = plugins.subscribe((change) => {
        follow();
        wired.pluginsChanged(change.plugins);
        const now = new Map(plugins.active().map((p) => [p.name, p.manifest?.version ?? '']));
        // Other plugins hear of it now; a plugin's own process hears of itself from its supervisor, once it answers
        // (load, update) or before it stops (unload).
        const own = (name: string) => (plugins.get(name)?.manifest?.backend?.entry ? name : undefined);
        for (const [name, version] of now) {
          const before = known.get(name);
          if (before === undefined)
            void eventBus.emit('on-plugin-load', { plugin: name, version }, undefined, own(name));
          else if (before !== version)
            void eventBus.emit('on-plugin-update', { plugin: name, from: before, to: version }, undefined, own(name));
        }
        for (const [name, version] of known)
          if (!now.has(name)) void eventBus.emit('on-plugin-unload', { plugin: name, version }, undefined, own(name));
        known = now;
        for (const name of change.plugins) stateChanged(name);
      });
      return {
        async close() {
          context.devBackends?.attach(undefined);
          unsubscribe();
          watcher.close();
          wired.dispose();
          await rt.close();
          await memory.settled();
          if (support.memoryCgroup.parent) removeCgroupParent(support.memoryCgroup.parent);
          runtime = undefined;
          bus = undefined;
          views.delete(plugins);
        },
      };
    },
  };
}
