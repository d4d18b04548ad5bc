import { waitUntil } from './wait.ts';
import type { Logger } from 'pino';
import type { Capability } from '@dbt-workbench/plugin-sdk/contracts/capabilities';
import type { BackendState, SandboxLayer, ServerMessage } from '@dbt-workbench/plugin-sdk/contracts/sandbox.schema';
import type { CgroupParent } from './cgroup.ts';
import { createHostApi, type HostApiDeps } from './host-api.ts';
import { startInstance, type BackendInstance, type InstanceOptions } from './instance.ts';
import { createRegistrations, type Registrations } from './registrations.ts';
import type { LaunchPlan } from './spawn.ts';
import type { PluginStats } from './stats.ts';

/** What every build of a plugin backend has, a sandboxed process or an independently deployed one. */
export interface BackendSpec {
  revision: string;
  approved: ReadonlySet<Capability>;
  /** The deadline of every call into it. */
  timeoutMs: number;
  /** The isolation layers, on or off, for diagnostics. */
  layers: readonly SandboxLayer[];
}

/** Everything needed to start one build of a plugin backend as a sandboxed process. */
export interface LaunchSpec extends BackendSpec {
  plan: LaunchPlan;
  init: Extract<ServerMessage, { type: 'init' }>;
  watchdogMb: number | null;
  memoryMb: number;
}

/** The process (or remote backend) that serves a plugin's calls now, with what it registered. */
export interface ActiveBackend<S extends BackendSpec = BackendSpec> {
  instance: BackendInstance;
  registrations: Registrations;
  spec: S;
}

/** A backend's state; `failing` while it is down after a crash or keeps crashing (its plugin is then in `error`). */
export interface BackendStatus {
  state: BackendState;
  reason?: string;
  failing?: boolean;
  /** While `idle`: when its last process stopped for being idle (absent: it has not run since the server started). */
  idleSince?: string;
}

/** The lifecycle events a plugin's own backend gets about itself (SPEC 4.6). */
export type OwnLifecycle =
  | { event: 'on-plugin-load'; payload: { plugin: string; version: string } }
  | { event: 'on-plugin-update'; payload: { plugin: string; from: string; to: string } }
  | { event: 'on-plugin-unload'; payload: { plugin: string; version: string } };

/** How long a backend stopped by the server's own shutdown may spend in its `on-plugin-unload` handlers. */
export const SHUTDOWN_UNLOAD_MS = 1000;

/** Restart with exponential backoff; after `crashes` in `windowMs`, fail fast for `cooldownMs`, then try once. */
export interface RestartPolicy {
  initialBackoffMs: number;
  maxBackoffMs: number;
  crashes: number;
  windowMs: number;
  cooldownMs: number;
  /** How long a process must live to count as healthy again (resets the backoff). */
  stableMs: number;
}

export const defaultRestartPolicy: RestartPolicy = {
  initialBackoffMs: 100,
  maxBackoffMs: 5000,
  crashes: 5,
  windowMs: 60_000,
  cooldownMs: 60_000,
  stableMs: 10_000,
};

export interface SupervisorOptions {
  plugin: string;
  stats: PluginStats;
  logger: Logger;
  cgroupParent: CgroupParent | undefined;
  maxFrameBytes: number;
  policy: RestartPolicy;
  config: HostApiDeps['config'];
  data: HostApiDeps['data'];
  refreshMetadata(): void;
  /** What the plugin writes (its logger, stdout, stderr), passed on to its instances. */
  log: InstanceOptions['log'];
  /** The active backend changed (activation, swap, crash, stop) or its registrations did. */
  changed(active: ActiveBackend | null, previous: ActiveBackend | null): void;
  /** How long calls in a process being replaced or stopped may take to finish, then 503 (PLUGIN_DRAIN_MS). */
  drainMs: number;
  /** How long a process may go without calls before it is stopped, to start again on first use; 0 never. */
  idleMs: number;
  /** What `status()` answers changed. */
  statusChanged?(): void;
  /**
   * Delivers a lifecycle event about the plugin to one of its own processes within `timeoutMs`; never rejects.
   * `on-plugin-load` goes to the first process that answers after the plugin became active (or the server
   * started), `on-plugin-update` to the first of a new version, `on-plugin-unload` to the last before it stops.
   */
  lifecycle?(backend: ActiveBackend, own: OwnLifecycle, timeoutMs: number): Promise<void>;
}

export interface Supervisor {
  status(): BackendStatus;
  active(): ActiveBackend | null;
  /**
   * The active backend, starting it when it is idle (an activation) and waiting up to `ms` while it starts; null
   * when none comes (circuit open, stopped, it did not start in time).
   */
  ready(ms: number): Promise<ActiveBackend | null>;
  /**
   * Starts this build, or swaps to it: the new process starts beside the old, which drains once it is active. With
   * `remembered` (what this build registered when it last ran) and no process running, nothing starts: the
   * backend is idle until first needed (`ready`).
   */
  deploy(spec: LaunchSpec, remembered?: Registrations): void;
  /** What the backend registered: its running process's registrations, else those of its last (or remembered) run. */
  registrations(): Registrations | null;
  /**
   * Starts a fresh process of `spec` (the code on disk now), even of the build already running, beside the one
   * serving, which drains once the new one is active. Resolves with the new process once it answers, or with why it did not start.
   */
  reload(spec: LaunchSpec): Promise<{ ok: true; backend: ActiveBackend } | { ok: false; reason: string }>;
  /**
   * Stops the plugin's backend: no new call reaches it. With `drain` (a disable, a removal), calls in flight get
   * `drainMs` to finish, then fail with 503; without (the server shutting down), they fail at once.
   */
  stop(drain?: boolean): Promise<void>;
}

const calls = (n: number) => `${n} call${n === 1 ? '' : 's'}`;

export function createSupervisor(options: SupervisorOptions): Supervisor {
  const { stats, logger, policy, plugin } = options;
  let current: ActiveBackend<LaunchSpec> | null = null;
  let starting: ActiveBackend<LaunchSpec> | null = null;
  let latest: LaunchSpec | null = null;
  let generation = 0;
  let consecutive = 0;
  let crashTimes: number[] = [];
  let halfOpen = false;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let status: BackendStatus = { state: 'starting' };
  /** The registrations of the process serving, or of the last one (or the remembered run) while idle. */
  let known: Registrations | null = null;
  /** Stopped for being idle since its last process: the next one gets `on-plugin-load` again. */
  let slept = false;
  let idleCheck: NodeJS.Timeout | undefined;
  /** The version whose load (or update) event was delivered: the next build of another version is an update. */
  let loadedVersion: string | undefined;
  let lastCrash = '';
  /** Processes no longer serving new calls, each with the end of its drain. */
  const retired = new Map<BackendInstance, Promise<void>>();
  const waiters = new Set<() => void>();

  const notify = () => {
    for (const wake of [...waiters]) wake();
    options.statusChanged?.();
  };
  const setStatus = (state: BackendState, reason?: string, failing = false) => {
    status = { state, ...(reason === undefined ? {} : { reason }), ...(failing ? { failing } : {}) };
    notify();
  };
  /** Active, but it crashed again since its last restart without staying up `stableMs`: it is crash-looping. */
  const looping = () => status.state === 'active' && consecutive >= 2;

  const deliver = (backend: ActiveBackend, own: OwnLifecycle, timeoutMs: number) =>
    options.lifecycle?.(backend, own, timeoutMs) ?? Promise.resolve();

  /**
   * Stops a process that serves no new calls once its calls in flight finished; those still running after the
   * drain (none is waited for without `drain`) fail as unavailable, saying why. Hooks and events are calls too.
   */
  function retire(backend: ActiveBackend<LaunchSpec>, drain: boolean, unloading?: Promise<void>): Promise<void> {
    const { instance } = backend;
    let unloaded = !unloading;
    void unloading?.finally(() => (unloaded = true));
    const deadline = Date.now() + (drain ? options.drainMs : 0);
    const why = drain
      ? `the plugin's backend was stopped or replaced (disabled, updated, rolled back or removed) and this call did ` +
        `not finish within ${options.drainMs} ms (PLUGIN_DRAIN_MS)`
      : 'the server stopped the plugin backend during the call';
    const done = new Promise<void>((resolve) => {
      const poll = () => {
        if (instance.inFlight() === 0 && unloaded) return void instance.stop(drain ? 2000 : 1000).then(() => resolve());
        if (Date.now() >= deadline) {
          if (drain)
            stats.event(
              'stop',
              `${calls(instance.inFlight())} did not finish within ${options.drainMs} ms and answered 503`,
            );
          return void instance.abandon(why).then(() => resolve());
        }
        setTimeout(poll, 10).unref();
      };
      poll();
    });
    retired.set(instance, done);
    return done;
  }

  function spawn(spec: LaunchSpec, restart: boolean): ActiveBackend<LaunchSpec> {
    timer = undefined;
    generation += 1;
    const registrations = createRegistrations();
    stats.started(restart);
    stats.event(restart ? 'restart' : 'start', `process ${generation} of revision ${spec.revision}`);
    let self: ActiveBackend<LaunchSpec> | null = null;
    const instance = startInstance({
      plugin,
      generation,
      plan: spec.plan,
      init: spec.init,
      cgroupParent: options.cgroupParent,
      maxFrameBytes: options.maxFrameBytes,
      watchdogMb: spec.watchdogMb,
      log: options.log,
      violation: (message) => stats.rejected('channel', message),
      denied: (action, message) => {
        stats.rejected(action, `the sandbox refused: ${message}`);
        logger.warn({ plugin, action }, `plugin backend refused: ${message}`);
      },
      hostCall: createHostApi({
        plugin,
        approved: spec.approved,
        registrations,
        stats,
        logger,
        config: options.config,
        data: options.data,
        refreshMetadata: options.refreshMetadata,
        changed: () => {
          if (self && current === self) options.changed(self, self);
        },
      }),
    });
    self = { instance, registrations, spec };
    const backend = self;
    starting = backend;
    if (status.state !== 'active') setStatus('starting', status.reason, status.failing);
    instance.activated.then(
      (ms) => {
        if (stopped || starting !== backend) return void instance.stop();
        starting = null;
        const previous = current;
        current = backend;
        known = backend.registrations;
        watchIdle();
        stats.activated(ms);
        stats.event('activated', `process ${instance.generation} (pid ${instance.pid}) active in ${Math.round(ms)} ms`);
        setStatus(
          'active',
          consecutive >= 2
            ? `its backend is crash-looping: ${consecutive} crashes in a row, each before it stayed up ` +
                `${Math.round(policy.stableMs / 1000)} s; running again, last: ${lastCrash}`
            : undefined,
          consecutive >= 2,
        );
        setTimeout(() => {
          if (current !== backend || !instance.isAlive()) return;
          const wasLooping = looping();
          [consecutive, halfOpen] = [0, false];
          if (wasLooping) setStatus('active');
        }, policy.stableMs).unref();
        options.changed(backend, previous);
        const version = spec.init.version;
        if (loadedVersion === undefined || (slept && loadedVersion === version))
          void deliver(backend, { event: 'on-plugin-load', payload: { plugin, version } }, spec.timeoutMs);
        else if (loadedVersion !== version)
          void deliver(
            backend,
            { event: 'on-plugin-update', payload: { plugin, from: loadedVersion, to: version } },
            spec.timeoutMs,
          );
        loadedVersion = version;
        slept = false;
        if (previous) {
          stats.event('swap', `revision ${previous.spec.revision} → ${spec.revision}; the old process drains`);
          retire(previous, true);
        }
      },
      () => {},
    );
    void instance.exited.then((reason) => exited(backend, reason));
    return backend;
  }

  function exited(backend: ActiveBackend<LaunchSpec>, reason: string): void {
    if (stopped || retired.delete(backend.instance)) return;
    const wasCurrent = current === backend;
    if (!wasCurrent && starting !== backend) return;
    stats.crashed(reason);
    stats.event('crash', reason);
    lastCrash = reason;
    logger.warn({ plugin, reason }, 'plugin backend process ended');
    if (starting === backend) starting = null;
    if (!wasCurrent && current) {
      const kept = current.spec.revision;
      stats.event(
        'activate-failed',
        `revision ${backend.spec.revision} did not start (${reason}); ${kept} still serves`,
      );
      return;
    }
    if (wasCurrent) {
      current = null;
      options.changed(null, backend);
    }
    const now = Date.now();
    crashTimes = [...crashTimes.filter((t) => now - t < policy.windowMs), now];
    consecutive += 1;
    if (halfOpen || crashTimes.length >= policy.crashes) return openCircuit(backend.spec, reason);
    const delay = Math.min(policy.initialBackoffMs * 2 ** (consecutive - 1), policy.maxBackoffMs);
    setStatus('starting', `its backend stopped (${reason}); restarting in ${delay} ms`, true);
    timer = setTimeout(() => spawn(backend.spec, true), delay);
  }

  function openCircuit(spec: LaunchSpec, reason: string): void {
    const message =
      `stopped after ${crashTimes.length} crash${crashTimes.length === 1 ? '' : 'es'} in ${Math.round(policy.windowMs / 1000)} s; last: ${reason}. ` +
      `Calls fail at once; it is tried again in ${Math.round(policy.cooldownMs / 1000)} s or when the plugin changes.`;
    setStatus('error', message, true);
    stats.event('circuit-open', message);
    logger.error({ plugin, reason }, 'plugin backend circuit opened');
    timer = setTimeout(() => {
      halfOpen = true;
      crashTimes = [];
      spawn(spec, true);
    }, policy.cooldownMs);
    timer.unref();
  }

  /**
   * Stops the serving process once it went `idleMs` without a call (none in flight, no new build starting); its
   * calls' registrations stay known, so the next call, event or hook that needs it starts it again.
   */
  function watchIdle(): void {
    if (options.idleMs <= 0 || idleCheck) return;
    idleCheck = setInterval(
      () => {
        const backend = current;
        if (!backend || starting || backend.instance.inFlight() > 0) return;
        if (Date.now() - backend.instance.lastActivity() < options.idleMs) return;
        sleep(backend);
      },
      Math.max(20, Math.min(options.idleMs / 4, 5000)),
    );
    idleCheck.unref();
  }

  function sleep(backend: ActiveBackend<LaunchSpec>): void {
    current = null;
    slept = true;
    const since = new Date().toISOString();
    stats.event(
      'stop',
      `no call for ${options.idleMs} ms (PLUGIN_BACKEND_IDLE_MS): stopped, starts again on first use`,
    );
    status = { state: 'idle', reason: `idle since ${since}; it starts again on first use`, idleSince: since };
    notify();
    options.changed(null, backend);
    const unload: OwnLifecycle = { event: 'on-plugin-unload', payload: { plugin, version: backend.spec.init.version } };
    void retire(backend, true, deliver(backend, unload, options.drainMs));
  }

  /** Starts the idle backend's build (once, however many callers need it at the same time). */
  function wake(): void {
    if (stopped || current || starting || !latest || status.state !== 'idle') return;
    setStatus('starting', 'its backend is starting on first use');
    spawn(latest, false);
  }

  /** Starts a new process of `spec` in place of one still starting; the one serving drains once it is active. */
  function startAfresh(spec: LaunchSpec): ActiveBackend<LaunchSpec> {
    if (starting) {
      retired.set(starting.instance, Promise.resolve());
      starting.instance.kill('superseded by a newer build before it was ready');
      starting = null;
    }
    clearTimeout(timer);
    [crashTimes, consecutive, halfOpen] = [[], 0, false];
    if (status.state !== 'active') setStatus('starting');
    return spawn(spec, false);
  }

  return {
    status: () => status,
    active: () => current,
    registrations: () => current?.registrations ?? known,
    async ready(ms) {
      wake();
      await waitUntil(() => Boolean(current) || stopped || status.state === 'error', ms, waiters);
      return current;
    },
    deploy(spec, remembered) {
      if (stopped) return;
      const same = latest?.revision === spec.revision;
      latest = spec;
      // The same build is running, starting, backing off, refused, or behind an open circuit: nothing to redo.
      if (same) return;
      // A backend that subscribed to its own on-plugin-load wants to run as the plugin loads: that is its activation.
      const lazy = remembered && remembered.forEvent('on-plugin-load').length === 0;
      if (lazy && !current && !starting && (status.state === 'starting' || status.state === 'idle')) {
        clearTimeout(timer);
        known = remembered!;
        setStatus('idle', 'it starts on first use');
        return;
      }
      startAfresh(spec);
    },
    reload(spec) {
      if (stopped) return Promise.resolve({ ok: false, reason: 'its backend was stopped' });
      latest = spec;
      const { instance } = startAfresh(spec);
      return instance.activated.then(
        () => {
          const backend = current;
          return backend?.instance === instance
            ? { ok: true as const, backend }
            : { ok: false as const, reason: 'a newer build replaced it before it answered' };
        },
        (error: unknown) => ({ ok: false as const, reason: error instanceof Error ? error.message : String(error) }),
      );
    },
    async stop(drain = false) {
      stopped = true;
      clearTimeout(timer);
      clearInterval(idleCheck);
      const previous = current;
      const unready = starting;
      current = null;
      starting = null;
      setStatus('stopped');
      if (previous) options.changed(null, previous);
      const running = previous?.instance.inFlight() ?? 0;
      stats.event(
        'stop',
        drain && running > 0
          ? `stopped by the server; ${calls(running)} in flight may take ${options.drainMs} ms to finish`
          : 'stopped by the server',
      );
      if (unready) void unready.instance.stop(1000);
      if (previous) {
        const unload: OwnLifecycle = {
          event: 'on-plugin-unload',
          payload: { plugin, version: previous.spec.init.version },
        };
        // Time to clean up: the drain period, or a short bound when the whole server stops.
        if (drain) void retire(previous, true, deliver(previous, unload, options.drainMs));
        else {
          const bound = Math.min(SHUTDOWN_UNLOAD_MS, options.drainMs);
          // Bounded here too: the event may wait behind another of the plugin's events still running.
          await Promise.race([deliver(previous, unload, bound), new Promise((resolve) => setTimeout(resolve, bound))]);
          void retire(previous, false);
        }
      }
      if (!drain) for (const instance of retired.keys()) void instance.abandon('the server stopped the plugin backend');
      await Promise.all([...retired.values(), unready?.instance.stop(1000)]);
    },
  };
}
