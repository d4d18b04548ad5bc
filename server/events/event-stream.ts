import type { FastifyInstance } from 'fastify';
import type { ServerEvent } from '../../shared/events.schema.ts';
import type { Guards } from '../auth/guards.ts';
import { openSse, type SseConnection } from './sse.ts';

export interface EventStream {
  publish(event: ServerEvent): void;
  /** How many shells are listening. */
  clients(): number;
  close(): void;
}

/**
 * `GET /api/events`: a server-sent event stream per signed-in shell. Events carry no data a member of any
 * workspace may not see; shells refetch what changed through the guarded APIs.
 */
export function registerEventStream(app: FastifyInstance, guards: Guards): EventStream {
  const clients = new Set<SseConnection>();

  app.get('/api/events', { preHandler: guards.requireUser }, (request, reply) => {
    const connection = openSse(request, reply, () => clients.delete(connection));
    clients.add(connection);
  });
  // An open stream is a request that never finishes: Fastify waits for it before closing, so a shell left open
  // would keep the server from exiting on SIGTERM. The streams end before the close begins.
  app.addHook('preClose', async () => close());

  function close(): void {
    for (const client of [...clients]) client.end();
  }

  return {
    publish(event) {
      for (const client of clients) client.send(event.type, event);
    },
    clients: () => clients.size,
    close,
  };
}
