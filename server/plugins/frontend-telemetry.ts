import type { FastifyInstance } from 'fastify';
import type { FrontendEvent, FrontendStats } from '../../shared/telemetry.schema.ts';
import { FrontendEventBatch } from '../../shared/telemetry.schema.ts';
import type { Guards } from '../auth/guards.ts';
import { parseBody } from '../http/body.ts';
import type { PluginRegistry } from './registry.ts';

const KEEP_SAMPLES = 500;

function percentile(sorted: readonly number[], p: number): number | null {
  if (sorted.length === 0) return null;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

/** What shells report about each plugin's frontend: load times and failures, kept in memory per plugin. */
export function createFrontendTelemetry(now: () => Date = () => new Date()) {
  const byPlugin = new Map<
    string,
    {
      samples: number[];
      loads: number;
      loadErrors: number;
      renderErrors: number;
      lastError: FrontendStats['lastError'];
    }
  >();
  return {
    record(event: FrontendEvent): void {
      const entry = byPlugin.get(event.plugin) ?? {
        samples: [],
        loads: 0,
        loadErrors: 0,
        renderErrors: 0,
        lastError: null,
      };
      if (event.kind === 'load') {
        entry.loads++;
        if (event.ms !== undefined) entry.samples = [...entry.samples, event.ms].slice(-KEEP_SAMPLES);
      } else {
        if (event.kind === 'load-error') entry.loadErrors++;
        else entry.renderErrors++;
        entry.lastError = { at: now().toISOString(), kind: event.kind, message: event.message ?? '' };
      }
      byPlugin.set(event.plugin, entry);
    },
    stats(plugin: string): FrontendStats {
      const entry = byPlugin.get(plugin);
      const sorted = [...(entry?.samples ?? [])].sort((a, b) => a - b);
      return {
        loads: entry?.loads ?? 0,
        loadP50Ms: percentile(sorted, 50),
        loadP95Ms: percentile(sorted, 95),
        loadErrors: entry?.loadErrors ?? 0,
        renderErrors: entry?.renderErrors ?? 0,
        lastError: entry?.lastError ?? null,
      };
    },
  };
}

export type FrontendTelemetry = ReturnType<typeof createFrontendTelemetry>;

/**
 * `POST /api/plugins/telemetry` (any signed-in user; events for unknown plugins are ignored) and
 * `GET /api/plugins/:name/frontend-stats` (instance admin): the per-plugin cost seen in browsers.
 */
export function registerTelemetryRoutes(
  app: FastifyInstance,
  registry: PluginRegistry,
  guards: Guards,
  telemetry: FrontendTelemetry,
): void {
  app.post('/api/plugins/telemetry', { preHandler: guards.requireUser }, async (request, reply) => {
    const { events } = parseBody(FrontendEventBatch, request.body);
    for (const event of events) if (registry.get(event.plugin)) telemetry.record(event);
    return reply.status(204).send();
  });
  app.get<{ Params: { name: string } }>(
    '/api/plugins/:name/frontend-stats',
    { preHandler: [guards.requireUser, guards.requireInstanceAdmin] },
    async (request) => telemetry.stats(request.params.name),
  );
}
