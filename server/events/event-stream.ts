import type { FastifyInstance } from 'fastify';
import type { ServerEvent } from '../../shared/events.schema.ts';
import type { Guards } from '../auth/guards.ts';

export interface EventStream {
  publish(event: ServerEvent): void;
  /** How many shells are listening. */
  clients(): number;
  close(): void;
}

const HEARTBEAT_MS = 20_000;

/**
 * `GET /api/events`: a server-sent event stream per signed-in shell. Events carry no data a member of any
 * workspace may not see; shells refetch what changed through the guarded APIs.
 */
export function registerEventStream(app: FastifyInstance, guards: Guards): EventStream {
  const clients = new Set<(chunk: string) => void>();

  app.get('/api/events', { preHandler: guards.requireUser }, (request, reply) => {
    reply.hijack();
    const res = reply.raw;
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache, no-transform',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
    });
    res.write('retry: 2000\n\n');
    const send = (chunk: string) => res.write(chunk);
    clients.add(send);
    const heartbeat = setInterval(() => res.write(': heartbeat\n\n'), HEARTBEAT_MS);
    request.raw.on('close', () => {
      clearInterval(heartbeat);
      clients.delete(send);
    });
  });

  return {
    publish(event) {
      const chunk = `event: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`;
      for (const send of clients) send(chunk);
    },
    clients: () => clients.size,
    close() {
      clients.clear();
    },
  };
}
