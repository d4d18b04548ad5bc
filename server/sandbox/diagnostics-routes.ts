import type { FastifyInstance } from 'fastify';
import type { PluginDiagnostics } from '../../shared/sandbox.schema.ts';
import type { Guards } from '../auth/guards.ts';
import { HttpError } from '../http/errors.ts';
import type { PluginRegistry } from '../plugins/registry.ts';
import type { BackendRuntime } from './runtime.ts';

/**
 * `GET /api/plugins/:name/diagnostics` (instance admins): the plugin backend's state, starts, restarts, crashes
 * with reasons, rejected actions, call counts and p50/p95 per route, hook and event, and the sandbox layers in force.
 */
export function registerDiagnosticsRoutes(
  app: FastifyInstance,
  deps: { runtime: BackendRuntime; plugins: PluginRegistry; guards: Guards },
): void {
  const admin = { preHandler: [deps.guards.requireUser, deps.guards.requireInstanceAdmin] };
  app.get<{ Params: { name: string } }>(
    '/api/plugins/:name/diagnostics',
    admin,
    async (request): Promise<PluginDiagnostics> => {
      const record = deps.plugins.get(request.params.name);
      if (!record) throw new HttpError('plugin_not_found', `No plugin named "${request.params.name}" is installed`);
      return deps.runtime.diagnostics(record);
    },
  );
}
