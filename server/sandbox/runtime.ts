import type { Logger } from 'pino';
import type { Capability } from '@dbt-workbench/plugin-sdk/contracts/capabilities';
import type { HookRetryPolicy } from '@dbt-workbench/plugin-sdk/contracts/retry-policy.schema';
import type {
  BackendEvent,
  BackendState,
  CallStats,
  DataCall,
  PluginDiagnostics,
} from '@dbt-workbench/plugin-sdk/contracts/sandbox.schema';
import type { PluginRecord } from '../plugins/evaluate.ts';
import { backendEventLine } from '../plugins/logs/lifecycle.ts';
import type { PluginLogWrite } from '../plugins/logs/store.ts';
import type { Workspace } from '../workspaces/config.ts';
import { CallFailure } from './failures.ts';
import type { InstanceLogSource } from './instance.ts';
import type { SandboxSupport } from './layers.ts';
import type { ProtectedPaths } from './grant-rules.ts';
import { launchSpecFor, type SandboxSettings } from './launch-spec.ts';
import { createHttpSupervisor, type HttpSpec, type HttpSupervisor } from './http-supervisor.ts';
import { registrationSignature, type RegistrationMemory } from './registration-memory.ts';
import type { Registration, Registrations } from './registrations.ts';
import { isRetryable, sameHandler, withRetries } from './retries.ts';
import { pluginKey } from './signature.ts';
import { createPluginStats, type PluginStats } from './stats.ts';
import {
  createSupervisor,
  defaultRestartPolicy,
  type ActiveBackend,
  type BackendStatus,
  type LaunchSpec,
  type OwnLifecycle,
  type RestartPolicy,
  type Supervisor,
} from './supervisor.ts';
import { assignUid } from './uids.ts';

export interface RuntimeOptions {
  settings: SandboxSettings;
  /**
   * The user id given to each plugin's backends (`assignUid`), when shared with another runtime: a developer's dev
   * slot of a plugin (server/plugins/dev-sessions/dev-backends.ts) runs under the plugin's own id, never another's.
   */
  uids?: Map<string, number>;
  support: SandboxSupport;
  workspaces: readonly Workspace[];
  logger: Logger;
  /** The plugin logs: what backends write (`host.log`, stdout, stderr) and their supervisors' events. */
  log: PluginLogWrite;
  /** The plugin's configuration as `host.config.get()` returns it, or a workspace's with `{ workspace }`. */
  config(plugin: string, workspace?: string): Promise<unknown>;
  /** Answers the plugin's typed data calls (`host.data.*`, `host.sql.*`; server/sandbox/host-data.ts). */
  data(plugin: string, call: DataCall): Promise<unknown>;
  /** A plugin asked for its enrichments to be computed again (`host.metadata.refresh()`). */
  refreshMetadata?(plugin: string): void;
  execPath?: string;
  env?: NodeJS.ProcessEnv;
  policy?: RestartPolicy;
  /** Largest frame read from a child: a route answer plus room for its envelope. */
  maxFrameBytes?: number;
  /** PLUGIN_BACKEND_SECRET (or the generated one): signs the calls to `backend.url` backends. */
  secret: string;
  /** How often a `backend.url` backend's registrations are read again; 60 s by default. */
  remoteRefreshMs?: number;
  /** Folders no `permissions.fs` grant may reach, judged again at each launch. */
  protectedPaths?: ProtectedPaths;
  /** A plugin's backend state (`backendState`) changed. */
  stateChanged?(plugin: string): void;
  /**
   * What each build registered when it last ran: a build remembered there stays idle until first needed. Without
   * it every backend starts at once.
   */
  memory?: RegistrationMemory;
  /** How long a backend process may go without calls before it stops, to start again on demand; 0 never. */
  idleMs?: number;
  /** Delivers a lifecycle event about a plugin to its own process (the event bus's `deliverOwn`). */
  lifecycle?(plugin: string, backend: ActiveBackend, own: OwnLifecycle, timeoutMs: number): Promise<void>;
}

/** How a hook or event call is retried: the plugin's policy for it, and whether the call is still wanted. */
export interface InvokeRetry {
  policy: HookRetryPolicy | undefined;
  /** False once the plugin was disabled (in the workspace) or unloaded: no further attempt is made. */
  stillWanted?(): boolean;
  /** The deadline of this call instead of the plugin's own (`on-plugin-unload` gets the drain period). */
  timeoutMs?: number;
}

/**
 * Listens for what a plugin's backend is known to register changing: a build that registers other things, live
 * changes, the plugin stopped (null). A process stopping for being idle, or started again on demand with the same
 * registrations, is no change.
 */
export type BackendListener = (plugin: string, known: Registrations | null, previous: Registrations | null) => void;

/**
 * The backends of every active plugin: a sandboxed process for a `backend.entry`, one supervisor each; for a
 * `backend.url`, the hooks and events it asked for, delivered over HTTP.
 */
export interface BackendRuntime {
  readonly support: SandboxSupport;
  readonly settings: SandboxSettings;
  /** Starts, swaps and stops backends to match the registry's plugins. */
  sync(plugins: readonly PluginRecord[]): void;
  /** The runtime state of a plugin's backend, for the registry and the API (`none` without a backend entry). */
  backendState(name: string): BackendStatus;
  /**
   * Starts a fresh process of the plugin's backend from the code on disk now; resolves once it answers (the old one
   * drains), or with why it did not start (the old one keeps serving). Not for `backend.url` backends.
   */
  reload(record: PluginRecord): Promise<{ ok: true } | { ok: false; reason: string }>;
  active(name: string): ActiveBackend | null;
  /** Its backend's registrations: of the running process, else of its last (or remembered) run; null without. */
  registrations(name: string): Registrations | null;
  /**
   * The backend serving the plugin, starting it when idle (an activation: the caller waits), waiting up to the
   * plugin's timeout while it starts; null when none comes.
   */
  ready(name: string): Promise<ActiveBackend | null>;
  /**
   * The serving backend (started when idle) and its handler for `registration`, one of `from` (the registrations
   * the caller was wired with, maybe of an earlier process); null when it does not start or no longer has it.
   */
  serving(
    name: string,
    from: Registrations,
    registration: Registration,
  ): Promise<{ backend: ActiveBackend; registration: Registration } | null>;
  /**
   * Calls one registered handler with the plugin's deadline, recording the timing and the outcome; with `retry`,
   * a failed hook or event call is made again under its policy while the same build still serves it.
   */
  invoke(
    plugin: string,
    backend: ActiveBackend,
    registration: Registration,
    payload: unknown,
    kind: CallStats['kind'],
    label: string,
    retry?: InvokeRetry,
  ): Promise<unknown>;
  stats(name: string): PluginStats;
  diagnostics(record: PluginRecord): PluginDiagnostics;
  subscribe(listener: BackendListener): () => void;
  close(): Promise<void>;
}

export function createBackendRuntime(options: RuntimeOptions): BackendRuntime {
  const { settings, support, logger } = options;
  const supervisors = new Map<string, Supervisor>();
  const remotes = new Map<string, HttpSupervisor>();
  const unavailable = new Map<string, string>();
  const allStats = new Map<string, PluginStats>();
  const specs = new Map<string, LaunchSpec>();
  const uids = options.uids ?? new Map<string, number>();
  const listeners = new Set<BackendListener>();
  const maxFrameBytes = options.maxFrameBytes ?? settings.maxBodyBytes + 64 * 1024;

  const stats = (name: string) => {
    let s = allStats.get(name);
    if (!s) {
      const logEvent = (event: BackendEvent) => {
        const line = backendEventLine(event);
        options.log(name, line.level, 'lifecycle', line.message);
      };
      allStats.set(name, (s = createPluginStats(undefined, logEvent)));
    }
    return s;
  };

  /** What each plugin's backend is known to register, as listeners last heard it. */
  const known = new Map<string, { registrations: Registrations | null; signature: string }>();
  const knownOf = (name: string) =>
    supervisors.get(name)?.registrations() ?? remotes.get(name)?.active()?.registrations ?? null;
  const changed = (name: string) => () => {
    const registrations = knownOf(name);
    const serving = supervisors.get(name)?.active();
    if (serving) options.memory?.record(name, serving.spec.revision, serving.registrations);
    const signature = registrationSignature(registrations);
    const before = known.get(name);
    // The same wiring (a process started again, or a new one of it): listeners wired with the earlier
    // registrations map handlers by position (`serving`).
    if ((before?.signature ?? 'null') === signature) {
      if (registrations) known.set(name, { registrations, signature });
      return;
    }
    if (registrations) known.set(name, { registrations, signature });
    else known.delete(name);
    for (const listener of listeners) {
      try {
        listener(name, registrations, before?.registrations ?? null);
      } catch (error) {
        logger.error({ err: error, plugin: name }, 'a plugin backend listener failed');
      }
    }
  };

  function remoteFor(name: string): HttpSupervisor {
    let remote = remotes.get(name);
    if (remote) return remote;
    remote = createHttpSupervisor({
      plugin: name,
      stats: stats(name),
      logger,
      policy: options.policy ?? { initialBackoffMs: 1000, maxBackoffMs: 30_000 },
      refreshMs: options.remoteRefreshMs ?? 60_000,
      changed: changed(name),
      statusChanged: () => options.stateChanged?.(name),
    });
    remotes.set(name, remote);
    return remote;
  }

  /** How the server calls a `backend.url` plugin; its revision changes with the manifest and the approvals. */
  function remoteSpecOf(record: PluginRecord, url: string): HttpSpec {
    const approved = new Set<Capability>(record.approvedCapabilities);
    return {
      revision: `${record.revision}+${[...approved].sort().join(',')}`,
      approved,
      timeoutMs: record.manifest?.backend?.limits?.timeoutMs ?? settings.timeoutMs,
      layers: [],
      url,
      key: pluginKey(options.secret, record.name),
      maxBodyBytes: settings.maxBodyBytes,
    };
  }

  function supervisorFor(name: string): Supervisor {
    let supervisor = supervisors.get(name);
    if (supervisor) return supervisor;
    supervisor = createSupervisor({
      plugin: name,
      stats: stats(name),
      logger,
      cgroupParent: support.memoryCgroup.parent,
      maxFrameBytes,
      policy: options.policy ?? defaultRestartPolicy,
      config: (workspace) => options.config(name, workspace),
      data: (call) => options.data(name, call),
      refreshMetadata: () => options.refreshMetadata?.(name),
      log: (level, message, data, source?: InstanceLogSource) =>
        options.log(name, level, source ?? 'logger', message, data),
      changed: changed(name),
      drainMs: settings.drainMs ?? 10_000,
      idleMs: options.idleMs ?? 0,
      statusChanged: () => options.stateChanged?.(name),
      ...(options.lifecycle
        ? { lifecycle: (backend, own, timeoutMs) => options.lifecycle!(name, backend, own, timeoutMs) }
        : {}),
    });
    supervisors.set(name, supervisor);
    return supervisor;
  }

  /** The plugin's launch spec now, or undefined when it cannot start (why is in `backendState`; it is stopped). */
  function launchable(record: PluginRecord): LaunchSpec | undefined {
    const uid = assignUid(record.name, settings.uidBase, uids);
    const result = launchSpecFor(record, {
      settings,
      support,
      workspaces: options.workspaces,
      execPath: options.execPath ?? process.execPath,
      uid,
      env: options.env ?? process.env,
      ...(options.protectedPaths ? { protectedPaths: options.protectedPaths } : {}),
    });
    const before = unavailable.get(record.name);
    if (!result.ok) {
      unavailable.set(record.name, result.reason);
      void supervisors.get(record.name)?.stop(true);
      supervisors.delete(record.name);
      changed(record.name)();
      if (before !== result.reason) options.stateChanged?.(record.name);
      return undefined;
    }
    unavailable.delete(record.name);
    if (before !== undefined) options.stateChanged?.(record.name);
    specs.set(record.name, result.spec);
    return result.spec;
  }

  return {
    support,
    settings,
    sync(plugins) {
      const active = plugins.filter((p) => p.state === 'active');
      const wanted = active.filter((p) => p.manifest?.backend?.entry);
      const remote = active.filter((p) => p.manifest?.backend?.url);
      const names = new Set(wanted.map((p) => p.name));
      const remoteNames = new Set(remote.map((p) => p.name));
      for (const [name, supervisor] of supervisors) {
        if (names.has(name)) continue;
        supervisors.delete(name);
        // Calls already inside finish (PLUGIN_DRAIN_MS); new ones are refused before they reach it.
        void supervisor.stop(true);
        changed(name)();
        logger.info({ plugin: name }, 'plugin backend stopped: the plugin is no longer active');
      }
      for (const [name, supervisor] of remotes) {
        if (remoteNames.has(name)) continue;
        remotes.delete(name);
        void supervisor.stop();
        changed(name)();
      }
      for (const name of unavailable.keys()) if (!names.has(name)) unavailable.delete(name);
      for (const name of specs.keys()) if (!names.has(name)) specs.delete(name);
      for (const record of remote) remoteFor(record.name).deploy(remoteSpecOf(record, record.manifest!.backend!.url!));
      for (const record of wanted) {
        const spec = launchable(record);
        if (spec) {
          const supervisor = supervisorFor(record.name);
          supervisor.deploy(spec, options.memory?.recall(record.name, spec.revision));
          changed(record.name)();
        }
      }
    },
    async reload(record) {
      if (!record.manifest?.backend?.entry || record.state !== 'active')
        return { ok: false, reason: 'the plugin has no running backend process to reload' };
      const spec = launchable(record);
      if (!spec) return { ok: false, reason: unavailable.get(record.name) ?? 'its backend cannot start' };
      const outcome = await supervisorFor(record.name).reload(spec);
      return outcome.ok ? { ok: true } : outcome;
    },
    backendState(name) {
      const reason = unavailable.get(name);
      if (reason) return { state: 'error', reason };
      return (supervisors.get(name) ?? remotes.get(name))?.status() ?? { state: 'none' };
    },
    active: (name) => supervisors.get(name)?.active() ?? remotes.get(name)?.active() ?? null,
    registrations: knownOf,
    async ready(name) {
      const supervisor = supervisors.get(name) ?? remotes.get(name);
      return supervisor ? supervisor.ready(settings.timeoutMs) : null;
    },
    async serving(name, from, registration) {
      const backend = this.active(name) ?? (await this.ready(name));
      if (!backend) return null;
      const handler =
        backend.registrations === from ? registration : sameHandler(from, backend.registrations, registration);
      return handler ? { backend, registration: handler } : null;
    },
    async invoke(plugin, backend, registration, payload, kind, label, retry) {
      const s = stats(plugin);
      const once = async (target: ActiveBackend, handler: Registration) => {
        const started = performance.now();
        try {
          const timeoutMs = retry?.timeoutMs ?? target.spec.timeoutMs;
          const value = await target.instance.call(handler.handler, payload, timeoutMs, label, kind === 'route');
          s.call(kind, label, performance.now() - started, 'ok');
          return value;
        } catch (error) {
          const failure = error instanceof CallFailure ? error : new CallFailure('failed', String(error));
          s.call(
            kind,
            label,
            performance.now() - started,
            failure.kind === 'timeout' ? 'timeout' : 'error',
            failure.message,
          );
          if (failure.kind === 'timeout') s.event('timeout', failure.message);
          // The network guard reported its refusals itself, also those a plugin catches.
          if (failure.kind === 'denied' && failure.info?.permission !== 'Net')
            s.rejected(label, `the sandbox refused: ${failure.message}`);
          throw failure;
        }
      };
      if (kind === 'route' || !retry?.policy) return once(backend, registration);
      let current = { backend, registration };
      return withRetries(() => once(current.backend, current.registration), retry.policy, {
        retryable: isRetryable,
        // The same build, still wanted: after a timeout killed its process, the restarted one's handler.
        proceed: async () => {
          if (retry.stillWanted && !retry.stillWanted()) return false;
          const next = this.active(plugin) ?? (await this.ready(plugin));
          if (next?.spec.revision !== backend.spec.revision) return false;
          const handler = sameHandler(current.backend.registrations, next.registrations, current.registration);
          if (!handler) return false;
          current = { backend: next, registration: handler };
          return true;
        },
        onRetry: ({ attempt, of, delayMs, error }) => {
          s.retried(kind, label);
          s.event('retry', `${label} attempt ${attempt} of ${of} after ${delayMs} ms: ${(error as Error).message}`);
        },
      });
    },
    stats,
    diagnostics(record) {
      const active = this.active(record.name);
      const backend = record.manifest?.backend;
      const kind = backend?.entry ? 'process' : backend?.url ? 'http' : 'none';
      const status: { state: BackendState; reason?: string } =
        kind === 'http' && !remotes.has(record.name) ? { state: 'stopped' } : this.backendState(record.name);
      const spec = active?.spec ?? specs.get(record.name);
      const timeoutMs = backend?.limits?.timeoutMs ?? settings.timeoutMs;
      const snapshot = stats(record.name).snapshot();
      return {
        plugin: record.name,
        kind,
        state: status.state,
        ...(status.reason ? { reason: status.reason } : {}),
        ...(active ? { revision: active.spec.revision, pid: active.instance.pid } : {}),
        ...snapshot,
        layers: spec
          ? [...spec.layers, { layer: 'call-deadline', active: true, detail: `${timeoutMs} ms per call, then killed` }]
          : [],
        limits: {
          timeoutMs,
          memoryMb: backend?.limits?.memoryMb ?? settings.memoryMb,
        },
        registrations: knownOf(record.name)?.describe() ?? [],
      };
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    async close() {
      const all = [...supervisors.values(), ...remotes.values()];
      supervisors.clear();
      remotes.clear();
      await Promise.all(all.map((s) => s.stop()));
    },
  };
}
