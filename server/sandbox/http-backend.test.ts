import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { CallFailure } from './failures.ts';
import { callHttpBackend, type HttpBackendCall } from './http-backend.ts';

// A deployed backend that answers without end: the proxy reads no more than PLUGIN_RESPONSE_LIMIT_MB of it,
// then drops the connection, so the backend can write only what the sockets' buffers take beyond the cap.

const CAP = 1024 * 1024;
let server: Server;
let base: string;
/** Bytes the backend managed to write of its endless answer, once its connection closed. */
let written: Promise<number>;

beforeAll(async () => {
  let done!: (bytes: number) => void;
  written = new Promise((resolve) => (done = resolve));
  server = createServer((request, response) => {
    if (request.url === '/declared') {
      response.writeHead(200, { 'content-length': String(100 * CAP) });
      return void response.end();
    }
    response.writeHead(200, { 'content-type': 'application/octet-stream' });
    let bytes = 0;
    const chunk = Buffer.alloc(64 * 1024, 'x');
    const pump = () => {
      while (!response.destroyed && bytes < 1024 * CAP) {
        bytes += chunk.length;
        if (!response.write(chunk)) return void response.once('drain', pump);
      }
    };
    response.on('close', () => done(bytes));
    pump();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => {
  server.closeAllConnections();
  server.close();
});

const call = (pathAndQuery: string): HttpBackendCall => ({
  baseUrl: base,
  key: 'k'.repeat(64),
  timeoutMs: 10_000,
  maxBodyBytes: CAP,
  method: 'GET',
  pathAndQuery,
  headers: {},
  body: undefined,
  identity: { plugin: 'p', userId: 'u', username: 'u', workspace: 'w', role: 'viewer' },
});

describe('answers of a deployed backend', () => {
  test('an endless answer is cut at the cap while streaming: too_large, and the backend is disconnected', async () => {
    const started = performance.now();
    const failure = await callHttpBackend(call('/endless')).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(CallFailure);
    expect(failure).toMatchObject({ kind: 'too_large', message: 'the backend answered more than 1 MB' });
    expect(performance.now() - started).toBeLessThan(5000);
    // What got out of the backend before the proxy hung up: the cap plus socket buffers, not the gigabyte.
    expect(await written).toBeLessThan(CAP + 16 * CAP);
  });

  test('a declared length over the cap is refused before its body is read', async () => {
    await expect(callHttpBackend(call('/declared'))).rejects.toMatchObject({
      kind: 'too_large',
      message: 'the backend answered 100.0 MB; at most 1 MB',
    });
  });
});
