// A load loop run as its own process by the sandbox benchmarks, so the server's event loop is not shared with
// the client's. It speaks just enough HTTP/1.1 over keep-alive sockets to cost the server's CPU little (Node's
// own HTTP client would use more CPU than the server it measures). Loopback only, bounded in count and time.
// Reads its job as JSON from argv[2]; prints the result as JSON.
import net from 'node:net';

export interface LoadJob {
  url: string;
  headers: Record<string, string>;
  concurrency: number;
  /** Stop after this many requests... */
  count: number;
  /** ...or this much time, whichever comes first. */
  maxMs: number;
  /** Requests per connection before measuring starts. */
  warmup: number;
  /** Pause of each connection after each answer, in ms (none by default: each sends again at once). */
  pauseMs?: number;
}

export interface LoadResult {
  requests: number;
  errors: number;
  statuses: Record<string, number>;
  ms: number;
  perSecond: number;
  latenciesMs: number[];
}

/** One keep-alive connection: sends a request, resolves with the status once the whole answer is in. */
function connection(target: URL, request: Buffer) {
  const socket = net.connect({ host: target.hostname.replace(/^\[|\]$/g, ''), port: Number(target.port) });
  socket.setNoDelay(true);
  let buffered = Buffer.alloc(0);
  let waiting: ((status: number) => void) | null = null;
  socket.on('data', (chunk) => {
    buffered = buffered.length === 0 ? chunk : Buffer.concat([buffered, chunk]);
    const end = buffered.indexOf('\r\n\r\n');
    if (end < 0) return;
    const head = buffered.subarray(0, end).toString('latin1');
    const length = Number(/\r\ncontent-length: *(\d+)/i.exec(head)?.[1] ?? 0);
    if (buffered.length < end + 4 + length) return;
    buffered = buffered.subarray(end + 4 + length);
    const resolve = waiting;
    waiting = null;
    resolve?.(Number(head.slice(9, 12)));
  });
  socket.on('error', () => waiting?.(0));
  socket.on('close', () => waiting?.(0));
  return {
    send: () =>
      new Promise<number>((resolve) => {
        waiting = resolve;
        socket.write(request);
      }),
    close: () => socket.destroy(),
  };
}

export async function runLoad(job: LoadJob): Promise<LoadResult> {
  const target = new URL(job.url);
  if (!['127.0.0.1', 'localhost', '[::1]'].includes(target.hostname)) throw new Error('loopback targets only');
  const headers = Object.entries({ host: target.host, connection: 'keep-alive', ...job.headers });
  const request = Buffer.from(
    `GET ${target.pathname}${target.search} HTTP/1.1\r\n${headers.map(([k, v]) => `${k}: ${v}\r\n`).join('')}\r\n`,
  );
  const connections = Array.from({ length: job.concurrency }, () => connection(target, request));
  for (const c of connections) for (let i = 0; i < job.warmup / job.concurrency; i++) await c.send();
  const latenciesMs: number[] = [];
  const statuses: Record<string, number> = {};
  let sent = 0;
  const started = performance.now();
  const deadline = started + job.maxMs;
  await Promise.all(
    connections.map(async (c) => {
      while (sent < job.count && performance.now() < deadline) {
        sent += 1;
        const t = performance.now();
        const status = await c.send();
        latenciesMs.push(performance.now() - t);
        statuses[status] = (statuses[status] ?? 0) + 1;
        if (status === 0) break;
        if (job.pauseMs) await new Promise((resolve) => setTimeout(resolve, job.pauseMs));
      }
    }),
  );
  const ms = performance.now() - started;
  for (const c of connections) c.close();
  const errors = latenciesMs.length - (statuses['200'] ?? 0);
  return {
    requests: latenciesMs.length,
    errors,
    statuses,
    ms,
    perSecond: (latenciesMs.length / ms) * 1000,
    latenciesMs,
  };
}

if (import.meta.main) {
  const result = await runLoad(JSON.parse(process.argv[2]!) as LoadJob);
  process.stdout.write(JSON.stringify(result));
}
