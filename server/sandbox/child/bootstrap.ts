// The first code a plugin backend's child process runs (server/sandbox/spawn.ts starts it). It talks to the
// server over fd 3 in frames, waits for `init`, imports the plugin's entry and calls `activate(host)`, then
// answers calls to the handlers the plugin registered. It imports only Node built-ins and files of this folder.
import net from 'node:net';
import { pathToFileURL } from 'node:url';
import type {
  ErrorInfo,
  HostCall,
  ServerMessage,
  WireAnswer,
} from '@dbt-workbench/plugin-sdk/contracts/sandbox.schema';
import { createFrameReader, createFrameWriter, encodeFrame, frameOf } from './framing.ts';
import { createHost, type AnyHandler } from './host.ts';
import { guardNetwork } from './network-guard.ts';

/**
 * A seat belt for when the child runs under the server's own user id: it may signal only itself, never its
 * parent, its process group (0) or everyone (-1). `process.kill` goes through `process._kill`, so that is guarded.
 */
function guardSignals(): void {
  const own = process.pid;
  const target = process as unknown as { _kill: (pid: number, signal: number) => number };
  const raw = target._kill.bind(process);
  const guarded = (pid: number, signal: number) => {
    if (pid !== own) {
      throw Object.assign(new Error(`A plugin backend may not signal process ${pid}`), { code: 'ERR_ACCESS_DENIED' });
    }
    return raw(pid, signal);
  };
  Object.defineProperty(process, '_kill', { value: guarded, writable: false, configurable: false });
}

function errorInfo(error: unknown): ErrorInfo {
  if (!(error instanceof Error)) return { message: String(error).slice(0, 4000) };
  const e = error as Error & { code?: unknown; permission?: unknown; resource?: unknown };
  return {
    message: e.message.slice(0, 4000),
    name: e.name,
    ...(typeof e.code === 'string' ? { code: e.code } : {}),
    ...(typeof e.permission === 'string' ? { permission: e.permission } : {}),
    ...(typeof e.resource === 'string' ? { resource: e.resource.slice(0, 2000) } : {}),
  };
}

guardSignals();
const channel = new net.Socket({ fd: 3, readable: true, writable: true });
const handlers = new Map<number, AnyHandler>();
const pending = new Map<number, { resolve(value: unknown): void; reject(error: Error): void }>();
let nextRequest = 1;
let maxResultBytes = 5 * 1024 * 1024;

const write = createFrameWriter(channel);
const send = (message: unknown, id = 0) => write(encodeFrame(id, message));

function exitAfterFlush(code: number): void {
  channel.end(() => process.exit(code));
  setTimeout(() => process.exit(code), 200).unref();
}

function fatal(error: unknown): void {
  send({ type: 'fatal', error: errorInfo(error) });
  exitAfterFlush(1);
}
process.on('uncaughtException', fatal);
process.on('unhandledRejection', fatal);

function request(call: HostCall): Promise<unknown> {
  const id = nextRequest++;
  return new Promise((resolve, reject) => {
    pending.set(id, { resolve, reject });
    send({ type: 'host', id, call });
  });
}

/** A route's answer with its body serialised here, once: the server checks the rest and sends the text as is. */
function wire(value: unknown): unknown {
  if (value === undefined || value === null) return {};
  if (typeof value !== 'object' || Array.isArray(value)) return value;
  const { body, ...rest } = value as { body?: unknown };
  if (body === undefined) return rest;
  if (typeof body === 'string') return { ...rest, text: body, json: false };
  return { ...rest, text: JSON.stringify(body), json: true } satisfies WireAnswer;
}

async function answer(id: number, handler: number, payload: unknown, route: boolean): Promise<void> {
  const run = handlers.get(handler);
  try {
    if (!run) throw new Error(`handler ${handler} is not registered (any more)`);
    const result = await run(payload);
    const value = route ? wire(result) : result === undefined ? null : result;
    const text = JSON.stringify({ type: 'result', id, ok: true, value });
    if (text.length > maxResultBytes / 3 && Buffer.byteLength(text) > maxResultBytes) {
      const mb = (Buffer.byteLength(text) / 1048576).toFixed(1);
      const limit = maxResultBytes / 1048576;
      throw Object.assign(new Error(`the answer is ${mb} MB of JSON; at most ${limit} MB may cross`), {
        code: 'ERR_RESULT_TOO_LARGE',
      });
    }
    write(frameOf(id, text));
  } catch (error) {
    send({ type: 'result', id, ok: false, error: errorInfo(error) }, id);
  }
}

async function init(message: Extract<ServerMessage, { type: 'init' }>): Promise<void> {
  maxResultBytes = message.maxResultBytes;
  guardNetwork(message.network, (action, text) => send({ type: 'denied', action, message: text.slice(0, 2000) }));
  const started = performance.now();
  const host = createHost({
    plugin: { name: message.plugin, version: message.version },
    dataDir: message.dataDir,
    workspaces: message.workspaces,
    env: Object.fromEntries(Object.entries(process.env).filter((e): e is [string, string] => e[1] !== undefined)),
    handlers,
    request,
    log: (level, text, data) => {
      try {
        send({ type: 'log', level, message: text.slice(0, 4000), ...(data ? { data } : {}) });
      } catch {
        send({ type: 'log', level, message: text.slice(0, 4000) });
      }
    },
  });
  try {
    const module = (await import(pathToFileURL(message.entry).href)) as { activate?: unknown };
    if (typeof module.activate !== 'function') throw new Error(`${message.entry} does not export activate(host)`);
    await module.activate(host);
    send({ type: 'activated', ms: performance.now() - started });
  } catch (error) {
    send({ type: 'activate-failed', error: errorInfo(error) });
    exitAfterFlush(1);
  }
}

function receive(message: ServerMessage): void {
  switch (message.type) {
    case 'init':
      void init(message);
      return;
    case 'call':
      void answer(message.id, message.handler, message.payload, message.route === true);
      return;
    case 'reply': {
      const waiting = pending.get(message.id);
      pending.delete(message.id);
      if (!waiting) return;
      if (message.ok) waiting.resolve(message.value);
      else waiting.reject(Object.assign(new Error(message.error.message), { code: message.error.code }));
      return;
    }
    case 'shutdown':
      exitAfterFlush(0);
  }
}

channel.on(
  'data',
  createFrameReader(256 * 1024 * 1024, {
    frame: (_id, message) => receive(message as ServerMessage),
    oversized: () => {},
  }),
);
// The server is gone (or closed the channel): nothing left to serve.
channel.on('end', () => process.exit(0));
channel.on('error', () => process.exit(0));
