import type { FastifyInstance } from 'fastify';
import type { ServerEvent } from '../../shared/events.schema.ts';
import type { Guards } from '../auth/guards.ts';
import { openSse, type SseConnection } from './sse.ts';

export interface EventStream {
  /** Sends `event` to this server's shells and to whoever follows what is published here (other replicas). */
  publish(event: ServerEvent): void;
  /** Sends `event` to this server's shells only: an event another replica published. */
  deliver(event: ServerEvent): void;
  /** Calls `listener` with each event published on this server; returns what stops it. */
  onPublish(listener: (event: ServerEvent) => void): () => void;
  /** Calls `listener` with each event delivered from elsewhere (another replica, a catch-up); returns what stops it. */
  onDeliver(listener: (event: ServerEvent) => void): () => void;
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
  const publishListeners = new Set<(event: ServerEvent) => void>();
  const deliverListeners = new Set<(event: ServerEvent) => void>();

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

  function send(event: ServerEvent): void {
    for (const client of clients) client.send(event.type, event);
  }

  return {
    publish(event) {
      send(event);
      for (const listener of publishListeners) listener(event);
    },
    deliver(event) {
      send(event);
      for (const listener of deliverListeners) listener(event);
    },
    onPublish(listener) {
      publishListeners.add(listener);
      return () => publishListeners.delete(listener);
    },
    onDeliver(listener) {
      deliverListeners.add(listener);
      return () => deliverListeners.delete(listener);
    },
    clients: () => clients.size,
    close,
  };
}
