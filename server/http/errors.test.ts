import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { ApiErrorBody } from '../../shared/errors.ts';
import { startTestApp, type TestApp } from '../testing/test-app.ts';

let app: TestApp;
let port: number;
beforeAll(async () => {
  app = await startTestApp();
  await app.server.listen({ host: '127.0.0.1', port: 0 });
  port = (app.server.server.address() as { port: number }).port;
});
afterAll(() => app.close());

/** Sends raw bytes over TCP and returns what came back, for requests no HTTP client would send. */
function raw(bytes: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => socket.end(bytes));
    let answer = '';
    socket.on('data', (chunk) => (answer += chunk.toString()));
    socket.on('close', () => resolve(answer));
    socket.on('error', reject);
  });
}

function expectApiError(body: unknown, code: string, message: RegExp): void {
  expect(ApiErrorBody.strict().safeParse(body).success, JSON.stringify(body)).toBe(true);
  expect(body).toMatchObject({ error: { code, message: expect.stringMatching(message) } });
}

describe("the framework's own errors answer in the API's JSON shape", () => {
  test('404 of an unknown route', async () => {
    const response = await app.server.inject({ url: '/api/nothing-here', headers: { cookie: app.adminCookie } });
    expect(response.statusCode).toBe(404);
    expectApiError(response.json(), 'not_found', /Nothing is served at \/api\/nothing-here/);
  });

  test('400 of malformed JSON and of an empty JSON body', async () => {
    const malformed = await app.server.inject({
      method: 'POST',
      url: '/api/auth/login',
      headers: { 'content-type': 'application/json' },
      payload: '{"username": "admin", ',
    });
    expect(malformed.statusCode).toBe(400);
    expectApiError(malformed.json(), 'bad_request', /^The request body is not valid JSON\.$/);

    const empty = await app.server.inject({
      method: 'POST',
      url: '/api/auth/login',
      headers: { 'content-type': 'application/json' },
      payload: '',
    });
    expect(empty.statusCode).toBe(400);
    expectApiError(empty.json(), 'bad_request', /says its body is JSON .* but it is empty/);
  });

  test('413 of a body over the limit', async () => {
    const response = await app.server.inject({
      method: 'POST',
      url: '/api/auth/login',
      headers: { 'content-type': 'application/json' },
      payload: JSON.stringify({ username: 'admin', password: 'x'.repeat(2 * 1024 * 1024) }),
    });
    expect(response.statusCode).toBe(413);
    expectApiError(response.json(), 'payload_too_large', /larger than this route accepts/);
  });

  test('414 of an over-long URL part', async () => {
    const response = await app.server.inject({
      url: `/api/plugins/${'a'.repeat(300)}`,
      headers: { cookie: app.adminCookie },
    });
    expect(response.statusCode).toBe(414);
    expectApiError(response.json(), 'uri_too_long', /longer than the server accepts/);
    expect(response.headers['x-content-type-options']).toBe('nosniff');
  });

  test('415 of a content type no route reads', async () => {
    const response = await app.server.inject({
      method: 'POST',
      url: '/api/auth/login',
      headers: { 'content-type': 'application/xml' },
      payload: '<login/>',
    });
    expect(response.statusCode).toBe(415);
    expectApiError(response.json(), 'unsupported_media_type', /does not read "application\/xml" bodies/);
  });

  test('400 of a URL that does not decode', async () => {
    const response = await app.server.inject({ url: '/api/plugins/%E0%A4%A', headers: { cookie: app.adminCookie } });
    expect(response.statusCode).toBe(400);
    expectApiError(response.json(), 'bad_request', /The URL is not valid/);
  });

  test('400 of a request that is not HTTP, and 431 of over-large headers, over a real socket', async () => {
    const garbage = await raw('HELLO THERE\r\n\r\n');
    expect(garbage).toMatch(/^HTTP\/1\.1 400 Bad Request\r\n/);
    expectApiError(JSON.parse(garbage.split('\r\n\r\n')[1]!), 'bad_request', /not valid HTTP/);

    const huge = await raw(`GET /api/info HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`);
    expect(huge).toMatch(/^HTTP\/1\.1 431 /);
    expect(huge).toContain('X-Content-Type-Options: nosniff');
    expect(huge).toContain("Content-Security-Policy: default-src 'none'; frame-ancestors 'none'");
    expectApiError(JSON.parse(huge.split('\r\n\r\n')[1]!), 'request_header_too_large', /headers are larger/);
  });

  test('503 of a request on an open connection while the server shuts down', async () => {
    const closing = await startTestApp();
    await closing.server.listen({ host: '127.0.0.1', port: 0 });
    const { port: closingPort } = closing.server.server.address() as { port: number };
    const login = JSON.stringify({ username: 'admin', password: 'wrong-password' });
    // The sign-in hashes a password, so the connection is busy (not idle) when the server starts to close.
    const answers = await new Promise<string>((resolve) => {
      let text = '';
      const socket = connect(closingPort, '127.0.0.1', () => {
        socket.write(
          `POST /api/auth/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n` +
            `Content-Length: ${login.length}\r\n\r\n${login}`,
        );
        setTimeout(() => {
          void closing.close();
          setTimeout(() => socket.write('GET /api/info HTTP/1.1\r\nHost: x\r\n\r\n'), 10);
        }, 5);
      });
      socket.on('data', (chunk) => (text += chunk.toString()));
      socket.on('close', () => resolve(text));
    });
    const last = answers.slice(answers.lastIndexOf('HTTP/1.1 '));
    expect(last).toMatch(/^HTTP\/1\.1 503 /);
    expect(last.toLowerCase()).toContain('x-content-type-options: nosniff');
    expectApiError(JSON.parse(last.split('\r\n\r\n')[1]!), 'service_unavailable', /shutting down/);
  });
});
