import type { FastifyReply, FastifyRequest } from 'fastify';

const HEARTBEAT_MS = 20_000;

export interface SseConnection {
  /** Sends one event: `event: <type>` with the JSON of `data`. */
  send(type: string, data: unknown): void;
  /** Ends the response (and runs `onEnd`); the client's EventSource reconnects after 2 s unless it was closed. */
  end(): void;
}

/**
 * Turns a request into a server-sent event stream: takes over the reply, sends a heartbeat comment every 20 s so
 * proxies keep it open, and calls `onEnd` once when the client goes or `end()` is called.
 */
export function openSse(request: FastifyRequest, reply: FastifyReply, onEnd: () => void): SseConnection {
  reply.hijack();
  const res = reply.raw;
  res.writeHead(200, {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-cache, no-transform',
    connection: 'keep-alive',
    'x-accel-buffering': 'no',
  });
  res.write('retry: 2000\n\n');
  const heartbeat = setInterval(() => res.write(': heartbeat\n\n'), HEARTBEAT_MS);
  let ended = false;
  const end = () => {
    if (ended) return;
    ended = true;
    clearInterval(heartbeat);
    onEnd();
    res.end();
  };
  request.raw.on('close', end);
  // A HEAD answer has no body: Node would hold its headers back until the end, so the client would wait forever.
  if (request.method === 'HEAD') setImmediate(end);
  return {
    send: (type, data) => res.write(`event: ${type}\ndata: ${JSON.stringify(data)}\n\n`),
    end,
  };
}
