import type { FastifyInstance } from 'fastify';
import type { PluginLogEvent } from '../../../shared/plugin-logs.schema.ts';
import { getPluginLogs } from '../../../shared/http/plugin-operations.ts';
import type { Guards } from '../../auth/guards.ts';
import { contractRoute } from '../../http/contract-route.ts';
import { openSse, type SseConnection } from '../../events/sse.ts';
import { HttpError } from '../../http/errors.ts';
import type { PluginRegistry } from '../registry.ts';
import type { PluginLogs } from './store.ts';

/**
 * `GET /api/plugins/:name/logs` (instance admins): a page of the plugin's log, filtered by level, text and time;
 * `GET /api/plugins/:name/logs/stream`: server-sent events with each new line and the dropped count.
 */
export function registerPluginLogRoutes(
  app: FastifyInstance,
  deps: { registry: PluginRegistry; guards: Guards; logs: PluginLogs },
): void {
  const admin = { preHandler: [deps.guards.requireUser, deps.guards.requireInstanceAdmin] };
  const known = (name: string) => {
    if (!deps.registry.get(name)) throw new HttpError('plugin_not_found', `No plugin named "${name}" is installed`);
  };

  contractRoute(app, getPluginLogs, { guards: admin.preHandler }, async (request) => {
    known(request.params.name);
    return deps.logs.query(request.params.name, request.query);
  });

  const streams = new Set<SseConnection>();
  app.get<{ Params: { name: string } }>('/api/plugins/:name/logs/stream', admin, (request, reply) => {
    const { name } = request.params;
    known(name);
    let unsubscribe = () => {};
    const stream = openSse(request, reply, () => {
      unsubscribe();
      streams.delete(stream);
    });
    streams.add(stream);
    const send = (event: PluginLogEvent) => stream.send(event.type, event);
    send({ type: 'dropped', dropped: deps.logs.dropped(name) });
    unsubscribe = deps.logs.subscribe(name, send);
  });
  // Open streams would hold the server open; they end when it closes.
  app.addHook('preClose', async () => {
    for (const stream of [...streams]) stream.end();
  });
}
