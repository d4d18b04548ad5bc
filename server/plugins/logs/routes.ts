import type { FastifyInstance } from 'fastify';
import { PluginLogQuery, type PluginLogEvent, type PluginLogPage } from '../../../shared/plugin-logs.schema.ts';
import type { Guards } from '../../auth/guards.ts';
import { parseQuery } from '../../http/body.ts';
import { HttpError } from '../../http/errors.ts';
import type { PluginRegistry } from '../registry.ts';
import type { PluginLogs } from './store.ts';

const HEARTBEAT_MS = 20_000;

const sseChunk = (event: PluginLogEvent) => `event: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`;

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

  app.get<{ Params: { name: string } }>('/api/plugins/:name/logs', admin, async (request): Promise<PluginLogPage> => {
    known(request.params.name);
    return deps.logs.query(request.params.name, parseQuery(PluginLogQuery, request.query));
  });

  const streams = new Set<() => void>();
  app.get<{ Params: { name: string } }>('/api/plugins/:name/logs/stream', admin, (request, reply) => {
    const { name } = request.params;
    known(name);
    reply.hijack();
    const res = reply.raw;
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache, no-transform',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
    });
    res.write(`retry: 2000\n\n${sseChunk({ type: 'dropped', dropped: deps.logs.dropped(name) })}`);
    const unsubscribe = deps.logs.subscribe(name, (event) => res.write(sseChunk(event)));
    const heartbeat = setInterval(() => res.write(': heartbeat\n\n'), HEARTBEAT_MS);
    const end = () => {
      clearInterval(heartbeat);
      unsubscribe();
      streams.delete(end);
      res.end();
    };
    streams.add(end);
    request.raw.on('close', end);
  });
  // Open streams would hold the server open; they end when it closes.
  app.addHook('preClose', async () => {
    for (const end of [...streams]) end();
  });
}
