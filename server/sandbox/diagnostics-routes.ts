import type { FastifyInstance } from 'fastify';
import { getPluginDiagnostics } from '../../shared/http/plugin-operations.ts';
import type { Guards } from '../auth/guards.ts';
import type { Database } from '../db/database.ts';
import { hostFacts } from '../host-info.ts';
import { contractRoute } from '../http/contract-route.ts';
import { HttpError } from '../http/errors.ts';
import { residentMb } from '../plugins/metrics/memory.ts';
import { pluginMetricsOf } from '../plugins/metrics/view.ts';
import type { PluginRegistry } from '../plugins/registry.ts';
import type { BackendRuntime } from './runtime.ts';
import { versionFacts } from './version-facts.ts';

/**
 * `GET /api/plugins/:name/diagnostics` (instance admins): the plugin backend's state, starts, restarts, crashes
 * with reasons, rejected actions, call counts and p50/p95 per route, hook and event, the sandbox layers in force,
 * its memory now, when it last became active and how long that took, and (for every installed plugin, UI-only ones
 * too) its cost history and health, when its version in force was last updated and its compatibility ranges. The
 * backend's figures are this server's (each runs its own backends); the history, health and `cluster` (each server's
 * figures over the budget window, with the total) are every server's on the database.
 */
export function registerDiagnosticsRoutes(
  app: FastifyInstance,
  deps: { runtime: BackendRuntime; plugins: PluginRegistry; guards: Guards; db: Database },
): void {
  const admin = { guards: [deps.guards.requireUser, deps.guards.requireInstanceAdmin] };
  contractRoute(app, getPluginDiagnostics, admin, async (request) => {
    const record = deps.plugins.get(request.params.name);
    if (!record) throw new HttpError('plugin_not_found', `No plugin named "${request.params.name}" is installed`);
    const diagnostics = deps.runtime.diagnostics(record);
    const metrics = pluginMetricsOf(deps.plugins);
    const health = metrics?.health(record.name);
    return {
      ...diagnostics,
      memoryMb: diagnostics.pid === undefined ? null : residentMb(diagnostics.pid),
      history: [...(metrics?.points(record.name) ?? [])],
      ...(metrics ? { historyIntervalMs: metrics.intervalMs } : {}),
      ...(health ? { health } : {}),
      versionFacts: await versionFacts(deps.db, record, hostFacts()),
      ...(metrics ? { cluster: await metrics.figures(record.name) } : {}),
    };
  });
}
