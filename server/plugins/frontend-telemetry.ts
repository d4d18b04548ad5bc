import type { FastifyInstance } from 'fastify';
import type { FrontendEvent, FrontendStats } from '../../shared/telemetry.schema.ts';
import { currentUser, type Guards } from '../auth/guards.ts';
import type { UsersRepository } from '../auth/users-repository.ts';
import { getFrontendStats, reportTelemetry } from '../../shared/http/plugin-operations.ts';
import { contractRoute } from '../http/contract-route.ts';
import { HttpError } from '../http/errors.ts';
import { percentile, type FrontendWindow } from './metrics/point.ts';
import type { PluginRegistry, RegisteredPlugin } from './registry.ts';

const KEEP_SAMPLES = 500;

const emptyWindow = (): FrontendWindow => ({ loads: 0, loadSamples: [], errors: 0 });

/** The counter of FrontendStats each kind of problem adds to. */
const countOf = {
  'load-error': 'loadErrors',
  'render-error': 'renderErrors',
  'bridge-refused': 'refusedCalls',
  'bridge-flood': 'bridgeFloods',
  'frame-unresponsive': 'unresponsiveFrames',
} as const satisfies Record<Exclude<FrontendEvent['kind'], 'load'>, keyof FrontendStats>;

type Counts = Record<(typeof countOf)[keyof typeof countOf], number>;
const noCounts = (): Counts => ({
  loadErrors: 0,
  renderErrors: 0,
  refusedCalls: 0,
  bridgeFloods: 0,
  unresponsiveFrames: 0,
});

/**
 * What shells report about each plugin's frontend, kept in memory per plugin: load times, failures, and what the host
 * end of an isolated frame's bridge refused. Refused calls and floods are the plugin's rejected actions, not failures
 * its users saw, so only load and render errors and unresponsive frames count as errors in the cost history.
 */
export function createFrontendTelemetry(now: () => Date = () => new Date()) {
  const byPlugin = new Map<
    string,
    {
      samples: number[];
      loads: number;
      counts: Counts;
      lastError: FrontendStats['lastError'];
      window: FrontendWindow;
    }
  >();
  return {
    record(event: FrontendEvent): void {
      const entry = byPlugin.get(event.plugin) ?? {
        samples: [],
        loads: 0,
        counts: noCounts(),
        lastError: null,
        window: emptyWindow(),
      };
      if (event.kind === 'load') {
        entry.loads++;
        entry.window.loads++;
        if (event.ms !== undefined) {
          entry.samples = [...entry.samples, event.ms].slice(-KEEP_SAMPLES);
          if (entry.window.loadSamples.length < KEEP_SAMPLES) entry.window.loadSamples.push(event.ms);
        }
      } else {
        entry.counts[countOf[event.kind]]++;
        if (event.kind !== 'bridge-refused' && event.kind !== 'bridge-flood') entry.window.errors++;
        entry.lastError = { at: now().toISOString(), kind: event.kind, message: event.message ?? '' };
      }
      byPlugin.set(event.plugin, entry);
    },
    /** What shells reported of the plugin since the previous take; starts a new window (the cost history's). */
    takeWindow(plugin: string): FrontendWindow {
      const entry = byPlugin.get(plugin);
      if (!entry) return emptyWindow();
      const taken = entry.window;
      entry.window = emptyWindow();
      return taken;
    },
    stats(plugin: string): FrontendStats {
      const entry = byPlugin.get(plugin);
      const sorted = [...(entry?.samples ?? [])].sort((a, b) => a - b);
      return {
        loads: entry?.loads ?? 0,
        loadP50Ms: percentile(sorted, 50),
        loadP95Ms: percentile(sorted, 95),
        ...(entry?.counts ?? noCounts()),
        lastError: entry?.lastError ?? null,
      };
    },
  };
}

export type FrontendTelemetry = ReturnType<typeof createFrontendTelemetry>;

const telemetries = new WeakMap<PluginRegistry, FrontendTelemetry>();

/**
 * The frontend telemetry of the app that owns `registry` (set when its routes are registered), for the cost
 * history to take windows from.
 */
export function frontendTelemetryOf(registry: PluginRegistry): FrontendTelemetry | undefined {
  return telemetries.get(registry);
}

/** Plugins a user's shells can load: active and enabled in a workspace the user belongs to. Pure. */
export function pluginsShownTo(plugins: readonly RegisteredPlugin[], memberOf: readonly string[]): Set<string> {
  return new Set(
    plugins
      .filter((p) => p.state === 'active' && p.enabledWorkspaces.some((w) => memberOf.includes(w)))
      .map((p) => p.name),
  );
}

/**
 * `POST /api/plugins/telemetry` (any signed-in user, about plugins active in their workspaces only: a batch naming
 * another plugin is refused whole with 403) and `GET /api/plugins/:name/frontend-stats` (instance admin): the
 * per-plugin cost seen in browsers.
 */
export function registerTelemetryRoutes(
  app: FastifyInstance,
  registry: PluginRegistry,
  guards: Guards,
  users: UsersRepository,
  telemetry: FrontendTelemetry,
): void {
  telemetries.set(registry, telemetry);
  contractRoute(app, reportTelemetry, { guards: [guards.requireUser] }, async (request, reply) => {
    const { events } = request.body;
    const user = currentUser(request);
    // An instance admin is admin of every workspace, member or not: their shell shows every enabled plugin.
    const memberOf = user.isInstanceAdmin
      ? registry.active().flatMap((p) => p.enabledWorkspaces)
      : Object.keys(await users.roles(user.id));
    const shown = pluginsShownTo(registry.active(), memberOf);
    const others = [...new Set(events.map((e) => e.plugin).filter((name) => !shown.has(name)))];
    if (others.length > 0) {
      throw new HttpError(
        'forbidden',
        `Telemetry is accepted only for plugins active in your workspaces; not for ${others.join(', ')}`,
        { plugins: others },
      );
    }
    for (const event of events) telemetry.record(event);
    reply.status(204);
    return undefined;
  });
  contractRoute(app, getFrontendStats, { guards: [guards.requireUser, guards.requireInstanceAdmin] }, async (request) =>
    telemetry.stats(request.params.name),
  );
}
