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
}

export interface Supervisor {
  status(): { state: BackendState; reason?: string };
  active(): ActiveBackend | null;
  /** The active backend, waiting up to `ms` while one starts; null when none comes (circuit open, stopped). */
  ready(ms: number): Promise<ActiveBackend | null>;
  /** Starts this build, or swaps to it: the new process starts beside the old, which drains once it is active. */
  deploy(spec: LaunchSpec): void;
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
  let status: { state: BackendState; reason?: string } = { state: 'starting' };
  /** Processes no longer serving new calls, each with the end of its drain. */
  const retired = new Map<BackendInstance, Promise<void>>();
  const waiters = new Set<() => void>();

  const setStatus = (state: BackendState, reason?: string) => {
    status = reason === undefined ? { state } : { state, reason };
    for (const wake of [...waiters]) wake();
  };

  /**
   * Stops a process that serves no new calls once its calls in flight finished; those still running after the
   * drain (none is waited for without `drain`) fail as unavailable, saying why. Hooks and events are calls too.
   */
  function retire(backend: ActiveBackend<LaunchSpec>, drain: boolean): Promise<void> {
    const { instance } = backend;
    const deadline = Date.now() + (drain ? options.drainMs : 0);
    const why = drain
      ? `the plugin's backend was stopped or replaced (disabled, updated, rolled back or removed) and this call did ` +
        `not finish within ${options.drainMs} ms (PLUGIN_DRAIN_MS)`
      : 'the server stopped the plugin backend during the call';
    const done = new Promise<void>((resolve) => {
      const poll = () => {
        if (instance.inFlight() === 0) return void instance.stop(drain ? 2000 : 1000).then(() => resolve());
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

  function spawn(spec: LaunchSpec, restart: boolean): void {
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
    if (status.state !== 'active') setStatus('starting', status.reason);
    instance.activated.then(
      (ms) => {
        if (stopped || starting !== backend) return void instance.stop();
        starting = null;
        const previous = current;
        current = backend;
        stats.activated(ms);
        stats.event('activated', `process ${instance.generation} (pid ${instance.pid}) active in ${Math.round(ms)} ms`);
        setStatus('active');
        setTimeout(() => {
          if (current === backend && instance.isAlive()) [consecutive, halfOpen] = [0, false];
        }, policy.stableMs).unref();
        options.changed(backend, previous);
        if (previous) {
          stats.event('swap', `revision ${previous.spec.revision} → ${spec.revision}; the old process drains`);
          retire(previous, true);
        }
      },
      () => {},
    );
    void instance.exited.then((reason) => exited(backend, reason));
  }

  function exited(backend: ActiveBackend<LaunchSpec>, reason: string): void {
    if (stopped || retired.delete(backend.instance)) return;
    const wasCurrent = current === backend;
    if (!wasCurrent && starting !== backend) return;
    stats.crashed(reason);
    stats.event('crash', reason);
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
    setStatus('starting', `restarting in ${delay} ms after: ${reason}`);
    timer = setTimeout(() => spawn(backend.spec, true), delay);
  }

  function openCircuit(spec: LaunchSpec, reason: string): void {
    const message =
      `stopped after ${crashTimes.length} crashes in ${Math.round(policy.windowMs / 1000)} s; last: ${reason}. ` +
      `Calls fail at once; it is tried again in ${Math.round(policy.cooldownMs / 1000)} s or when the plugin changes.`;
    setStatus('error', message);
    stats.event('circuit-open', message);
    logger.error({ plugin, reason }, 'plugin backend circuit opened');
    timer = setTimeout(() => {
      halfOpen = true;
      crashTimes = [];
      spawn(spec, true);
    }, policy.cooldownMs);
    timer.unref();
  }

  return {
    status: () => status,
    active: () => current,
    async ready(ms) {
      await waitUntil(() => Boolean(current) || stopped || status.state === 'error', ms, waiters);
      return current;
    },
    deploy(spec) {
      if (stopped) return;
      const same = latest?.revision === spec.revision;
      latest = spec;
      // The same build is running, starting, backing off, refused, or behind an open circuit: nothing to redo.
      if (same) return;
      if (starting) {
        retired.set(starting.instance, Promise.resolve());
        starting.instance.kill('superseded by a newer build before it was ready');
        starting = null;
      }
      clearTimeout(timer);
      [crashTimes, consecutive, halfOpen] = [[], 0, false];
      if (status.state === 'error') setStatus('starting');
      spawn(spec, false);
    },
    async stop(drain = false) {
      stopped = true;
      clearTimeout(timer);
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
      if (previous) void retire(previous, drain);
      if (!drain) for (const instance of retired.keys()) void instance.abandon('the server stopped the plugin backend');
      await Promise.all([...retired.values(), unready?.instance.stop(1000)]);
    },
  };
}
