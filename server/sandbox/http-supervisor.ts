import { waitUntil } from './wait.ts';
import type { Logger } from 'pino';
import { HOST_CALL_PREFIX, RemoteRegistrations } from '../../shared/backend-http.schema.ts';
import type { BackendState } from '@dbt-workbench/plugin-sdk/contracts/sandbox.schema';
import { problemsFrom } from '@dbt-workbench/plugin-sdk/contracts/validation';
import { CallFailure } from './failures.ts';
import { callHttpBackend, type HttpBackendAnswer } from './http-backend.ts';
import { checkRemoteRegistrations } from './http-registrations.ts';
import type { BackendInstance } from './instance.ts';
import { createRegistrations, type Registration } from './registrations.ts';
import type { PluginStats } from './stats.ts';
import type { ActiveBackend, BackendSpec, BackendStatus, RestartPolicy } from './supervisor.ts';

/** An independently deployed backend (`backend.url`), as the runtime calls it. */
export interface HttpSpec extends BackendSpec {
  url: string;
  /** The plugin's own signing key (signature.ts `pluginKey`). */
  key: string;
  maxBodyBytes: number;
}

export interface HttpSupervisorOptions {
  plugin: string;
  stats: PluginStats;
  logger: Logger;
  /** Backoff while the registrations cannot be read. */
  policy: Pick<RestartPolicy, 'initialBackoffMs' | 'maxBackoffMs'>;
  /** How often the registrations are read again, to follow a backend deployed anew. */
  refreshMs: number;
  /** The active backend changed: its first registrations, different ones, or stopped. */
  changed(active: ActiveBackend | null, previous: ActiveBackend | null): void;
  /** What `status()` answers changed. */
  statusChanged?(): void;
}

/** Follows one remote backend: reads what it wants delivered and delivers it, as the process supervisor does. */
export interface HttpSupervisor {
  status(): BackendStatus;
  active(): ActiveBackend<HttpSpec> | null;
  ready(ms: number): Promise<ActiveBackend<HttpSpec> | null>;
  deploy(spec: HttpSpec): void;
  stop(): Promise<void>;
}

/** A call the server makes on its own: signed like a user's, with empty user id, username and role. */
function hostCall(spec: HttpSpec, plugin: string, path: string, body: unknown, workspace: string, timeoutMs: number) {
  return callHttpBackend({
    baseUrl: spec.url,
    key: spec.key,
    timeoutMs,
    maxBodyBytes: spec.maxBodyBytes,
    method: body === undefined ? 'GET' : 'POST',
    pathAndQuery: `${HOST_CALL_PREFIX}${path}`,
    headers: {
      accept: 'application/json',
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    body: body === undefined ? undefined : Buffer.from(JSON.stringify(body)),
    identity: { plugin, userId: '', username: '', workspace, role: '' },
  });
}

const ok = (a: HttpBackendAnswer) => a.status >= 200 && a.status < 300;
const excerpt = (a: HttpBackendAnswer) => {
  const text = a.body.toString('utf8', 0, 300).trim();
  return text ? `: ${text.slice(0, 200)}` : '';
};

/** What the backend wants delivered: none when it serves routes only (404), an error when it cannot say. */
async function readRegistrations(spec: HttpSpec, plugin: string): Promise<RemoteRegistrations> {
  const answer = await hostCall(spec, plugin, '/registrations', undefined, '', spec.timeoutMs);
  if (answer.status === 404 || answer.status === 405) return { events: [], hooks: [] };
  if (!ok(answer)) throw new CallFailure('failed', `GET ${HOST_CALL_PREFIX}/registrations answered ${answer.status}`);
  let json: unknown;
  try {
    json = JSON.parse(answer.body.toString('utf8'));
  } catch {
    throw new CallFailure('failed', `GET ${HOST_CALL_PREFIX}/registrations answered something that is not JSON`);
  }
  const parsed = RemoteRegistrations.safeParse(json);
  if (!parsed.success) {
    const problems = problemsFrom(parsed.error).map((p) => p.message);
    throw new CallFailure('failed', `its registrations are not {events, hooks}: ${problems.join('; ')}`);
  }
  return parsed.data;
}

/** Hook and event calls over HTTP, shaped as a process instance so the runtime, seams and events use it as one. */
function remoteInstance(spec: HttpSpec, plugin: string, generation: number, accepted: Registration[]): BackendInstance {
  const byHandler = new Map(accepted.map((r) => [r.handler, r]));
  let inFlight = 0;
  let last = Date.now();
  return {
    generation,
    pid: undefined,
    activated: Promise.resolve(0),
    exited: new Promise<string>(() => {}),
    isAlive: () => true,
    inFlight: () => inFlight,
    lastActivity: () => last,
    async call(handler, payload, deadlineMs, label) {
      last = Date.now();
      const r = byHandler.get(handler);
      if (!r) throw new CallFailure('unavailable', `handler ${handler} is not registered (any more)`);
      const workspace = (payload as { workspace?: unknown } | null)?.workspace;
      const [path, body] =
        r.point === 'event'
          ? [`/events/${r.event}`, { event: r.event, payload }]
          : [`/hooks/${r.point}`, { point: r.point, payload }];
      inFlight += 1;
      let answer: HttpBackendAnswer;
      try {
        answer = await hostCall(spec, plugin, path, body, typeof workspace === 'string' ? workspace : '', deadlineMs);
      } finally {
        inFlight -= 1;
      }
      if (!ok(answer))
        throw new CallFailure('failed', `${label}: the backend answered ${answer.status}${excerpt(answer)}`);
      if (r.point === 'event' || answer.status === 204 || answer.body.length === 0) return null;
      try {
        return JSON.parse(answer.body.toString('utf8')) as unknown;
      } catch {
        throw new CallFailure('failed', `${label}: the backend answered something that is not JSON`);
      }
    },
    stop: async () => 'stopped by the server',
    // Calls over HTTP end at their own deadline: the deployed backend keeps running.
    abandon: async () => 'stopped by the server',
    kill: () => {},
  };
}

export function createHttpSupervisor(options: HttpSupervisorOptions): HttpSupervisor {
  const { plugin, stats, logger, policy } = options;
  let current: ActiveBackend<HttpSpec> | null = null;
  let latest: HttpSpec | null = null;
  let status: BackendStatus = { state: 'starting' };
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  let generation = 0;
  let failures = 0;
  /** The registrations and refusals last applied, to tell a refresh that changed something. */
  let applied = '';
  const waiters = new Set<() => void>();

  const setStatus = (state: BackendState, reason?: string, failing = false) => {
    status = { state, ...(reason === undefined ? {} : { reason }), ...(failing ? { failing } : {}) };
    for (const wake of [...waiters]) wake();
    options.statusChanged?.();
  };
  const later = (spec: HttpSpec, ms: number) => {
    clearTimeout(timer);
    timer = setTimeout(() => void load(spec), ms);
    timer.unref();
  };

  async function load(spec: HttpSpec): Promise<void> {
    if (stopped || latest !== spec) return;
    const started = performance.now();
    let doc: RemoteRegistrations;
    try {
      doc = await readRegistrations(spec, plugin);
    } catch (error) {
      if (stopped || latest !== spec) return;
      failures += 1;
      const delay = Math.min(policy.initialBackoffMs * 2 ** (failures - 1), policy.maxBackoffMs);
      const message = `cannot read its registrations: ${(error as Error).message}`;
      if (failures === 1 || failures % 10 === 0) logger.warn({ plugin, error: (error as Error).message }, message);
      if (current) {
        stats.event('activate-failed', `${message}; the last ones stay, tried again in ${delay} ms`);
      } else {
        stats.event('activate-failed', `${message}; tried again in ${delay} ms`);
        setStatus('starting', `its backend ${message}; trying again in ${delay} ms`, true);
      }
      return later(spec, delay);
    }
    if (stopped || latest !== spec) return;
    failures = 0;
    const check = checkRemoteRegistrations(doc, spec.approved, plugin);
    const registrations = createRegistrations();
    for (const r of check.accepted) registrations.add(r);
    const summary = JSON.stringify([spec.revision, registrations.describe(), check.refused]);
    if (current?.spec === spec && summary === applied) return later(spec, options.refreshMs);
    applied = summary;
    for (const r of check.refused) {
      stats.rejected(r.action, r.message, r.capability);
      logger.warn({ plugin, action: r.action, capability: r.capability }, `plugin registration refused: ${r.message}`);
    }
    generation += 1;
    const next: ActiveBackend<HttpSpec> = {
      instance: remoteInstance(spec, plugin, generation, check.accepted),
      registrations,
      spec,
    };
    const previous = current;
    current = next;
    stats.activated(performance.now() - started);
    const what = registrations.describe().join(', ') || 'nothing (routes only)';
    stats.event(previous ? 'swap' : 'activated', `${new URL(spec.url).origin} asked for ${what}`);
    setStatus('active');
    options.changed(next, previous);
    later(spec, options.refreshMs);
  }

  return {
    status: () => status,
    active: () => current,
    async ready(ms) {
      await waitUntil(() => Boolean(current) || stopped, ms, waiters);
      return current;
    },
    deploy(spec) {
      if (stopped || latest?.revision === spec.revision) return;
      latest = spec;
      failures = 0;
      clearTimeout(timer);
      stats.started(false);
      stats.event('start', `reading the registrations of ${new URL(spec.url).origin}`);
      void load(spec);
    },
    async stop() {
      stopped = true;
      clearTimeout(timer);
      const previous = current;
      current = null;
      setStatus('stopped');
      if (previous) options.changed(null, previous);
      stats.event('stop', 'stopped by the server');
    },
  };
}
