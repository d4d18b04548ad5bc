import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { testManifest } from '../../shared/testing/manifests.ts';
import { startTestApp, type TestApp } from '../testing/test-app.ts';
import { createSandboxFeature } from './feature.ts';
import { identityHeaders, pluginKey, signedRequestOf, verify } from './signature.ts';
import { approve, callExt, eventually, withFixtures } from './testing.ts';

const workspaces = [{ name: 'default' }, { name: 'other' }];

describe('/api/ext/<plugin>/* to a sandboxed backend', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp({
      workspaces,
      features: [createSandboxFeature()],
      prepare: withFixtures('echo', 'reads-passwd'),
    });
    await approve(app, 'echo');
    await eventually('echo', async () =>
      (await callExt(app, '/api/ext/echo/echo')).statusCode === 200 ? true : undefined,
    );
  }, 30_000);
  afterAll(() => app?.close());

  test("passes the caller's identity, workspace, query and params, and answers JSON and text", async () => {
    const viewer = await app.userWithRoles('vera', { default: 'viewer' });
    const echo = await callExt(app, '/api/ext/echo/echo?tag=a&tag=b&x=1', { cookie: viewer });
    expect(echo.statusCode).toBe(200);
    expect(echo.headers['content-type']).toMatch(/application\/json/);
    expect(echo.headers['x-workbench-plugin']).toBe('echo');
    expect(echo.json()).toMatchObject({
      user: 'vera',
      workspace: { name: 'default', role: 'viewer' },
      query: { tag: ['a', 'b'], x: '1' },
    });
    const posted = await callExt(app, '/api/ext/echo/echo/42', { method: 'POST', payload: { note: 'hi' } });
    expect(posted.statusCode).toBe(201);
    expect(posted.json()).toEqual({ id: '42', got: { note: 'hi' } });
    const text = await callExt(app, '/api/ext/echo/text');
    expect(text.body).toBe('plain words');
    expect(text.headers['content-type']).toMatch(/text\/plain/);
    expect(text.headers['cache-control']).toBe('no-store');
    const counter = await callExt(app, '/api/ext/echo/counter');
    expect(counter.json()).toBeGreaterThanOrEqual(1);
  });

  test('401 without a session; 404 outside the workspace, without the header, and for unknown routes', async () => {
    const anonymous = await app.server.inject({
      url: '/api/ext/echo/echo',
      headers: { 'x-workbench-workspace': 'default' },
    });
    expect(anonymous.statusCode).toBe(401);
    const outsider = await app.userWithRoles('olga', { other: 'admin' });
    const notMember = await callExt(app, '/api/ext/echo/echo', { cookie: outsider });
    expect(notMember.statusCode).toBe(404);
    expect(notMember.json().error.message).toBe('Nothing is served at /api/ext/echo/echo');
    expect((await callExt(app, '/api/ext/echo/echo', { workspace: '' })).statusCode).toBe(404);
    expect((await callExt(app, '/api/ext/echo/echo', { workspace: 'nope' })).statusCode).toBe(404);
    expect((await callExt(app, '/api/ext/echo/nothing-here')).statusCode).toBe(404);
    expect((await callExt(app, '/api/ext/echo/echo', { method: 'DELETE' })).statusCode).toBe(404);
    expect((await callExt(app, '/api/ext/no-such-plugin/echo')).statusCode).toBe(404);
  });

  test('a plugin waiting for approval serves nothing', async () => {
    expect((await callExt(app, '/api/ext/reads-passwd/read')).statusCode).toBe(404);
  });

  test('a plugin disabled in one workspace answers 404 there and keeps serving the other', async () => {
    const put = (enabled: boolean | null) =>
      app.server.inject({
        method: 'PUT',
        url: '/api/plugins/echo/workspaces/other',
        headers: { cookie: app.adminCookie },
        payload: { enabled },
      });
    expect((await put(false)).statusCode).toBe(200);
    expect((await callExt(app, '/api/ext/echo/echo', { workspace: 'other' })).statusCode).toBe(404);
    expect((await callExt(app, '/api/ext/echo/echo', { workspace: 'default' })).statusCode).toBe(200);
    expect((await put(null)).statusCode).toBe(200);
    expect((await callExt(app, '/api/ext/echo/echo', { workspace: 'other' })).statusCode).toBe(200);
  });

  test('a globally disabled plugin stops its backend and answers 404', async () => {
    const post = (action: string) =>
      app.server.inject({ method: 'POST', url: `/api/plugins/echo/${action}`, headers: { cookie: app.adminCookie } });
    await post('disable');
    expect((await callExt(app, '/api/ext/echo/echo')).statusCode).toBe(404);
    await post('enable');
    await eventually('echo back', async () =>
      (await callExt(app, '/api/ext/echo/echo')).statusCode === 200 ? true : undefined,
    );
  });
});

describe('route limits', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp({
      env: { PLUGIN_ROUTE_RATE: '1', PLUGIN_ROUTE_BURST: '5' },
      features: [createSandboxFeature()],
      prepare: withFixtures('echo'),
    });
    await approve(app, 'echo');
  }, 30_000);
  afterAll(() => app?.close());

  test('past its burst a plugin answers 429 with Retry-After; other APIs are not limited', async () => {
    await eventually('echo', async () =>
      (await callExt(app, '/api/ext/echo/slow?ms=1')).statusCode !== 503 ? true : undefined,
    );
    const statuses: number[] = [];
    for (let i = 0; i < 8; i++) statuses.push((await callExt(app, '/api/ext/echo/slow?ms=1')).statusCode);
    expect(statuses.filter((s) => s === 429).length).toBeGreaterThanOrEqual(3);
    const limited = await callExt(app, '/api/ext/echo/slow?ms=1');
    expect(limited.statusCode).toBe(429);
    expect(limited.headers['retry-after']).toBe('1');
    expect(limited.json().error.message).toMatch(/Too many calls to plugin echo/);
    expect((await app.server.inject({ url: '/api/auth/me', headers: { cookie: app.adminCookie } })).statusCode).toBe(
      200,
    );
  });
});

describe('/api/ext/<plugin>/* to an independently deployed backend (backend.url)', () => {
  const secret = 'a-test-secret-of-some-length';
  let app: TestApp;
  let backend: Server;
  let seen: { verified: boolean; headers: IncomingMessage['headers']; url: string; body: string }[] = [];

  beforeAll(async () => {
    backend = createServer((request, response) => {
      let body = '';
      request.on('data', (chunk) => (body += chunk));
      request.on('end', () => {
        const { facts, signature } = signedRequestOf(request, body);
        const verified = verify(pluginKey(secret, 'remote-api'), facts, signature);
        seen.push({ verified, headers: request.headers, url: request.url ?? '', body });
        if (request.url?.startsWith('/base/slow')) return void setTimeout(() => response.end('late'), 1500);
        if (request.url?.startsWith('/base/huge')) return void response.end('y'.repeat(6 * 1024 * 1024));
        if (request.url?.startsWith('/base/redirect')) {
          response.writeHead(302, { location: 'http://127.0.0.1:1/elsewhere' });
          return void response.end();
        }
        response.writeHead(200, { 'content-type': 'application/json', 'set-cookie': 'x=1' });
        response.end(JSON.stringify({ verified, user: facts.username }));
      });
    });
    await new Promise<void>((resolve) => backend.listen(0, '127.0.0.1', resolve));
    const port = (backend.address() as AddressInfo).port;
    app = await startTestApp({
      env: { PLUGIN_BACKEND_SECRET: secret },
      features: [createSandboxFeature()],
      prepare: (dir) => {
        mkdirSync(path.join(dir, 'plugins', 'remote-api'), { recursive: true });
        const manifest = testManifest('remote-api', {
          capabilities: ['extend-api'],
          backend: { url: `http://127.0.0.1:${port}/base`, limits: { timeoutMs: 500 } },
        });
        writeFileSync(path.join(dir, 'plugins', 'remote-api', 'manifest.json'), JSON.stringify(manifest));
      },
    });
    await approve(app, 'remote-api');
  }, 30_000);
  afterAll(async () => {
    await app?.close();
    backend?.close();
  });

  test('forwards the call with identity headers signed so the backend can verify them', async () => {
    seen = [];
    const response = await callExt(app, '/api/ext/remote-api/notes?model=a', {
      method: 'POST',
      payload: { text: 'hi' },
    });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ verified: true, user: 'admin' });
    expect(response.headers['set-cookie']).toBeUndefined();
    // The server's own calls (its registrations, see http-hooks.test.ts) go to /_workbench/: leave them out.
    const forwarded = seen.filter((s) => !s.url.startsWith('/base/_workbench/'));
    expect(forwarded[0]).toMatchObject({ verified: true, url: '/base/notes?model=a', body: '{"text":"hi"}' });
    expect(forwarded[0]!.headers[identityHeaders.workspace]).toBe('default');
    expect(forwarded[0]!.headers[identityHeaders.role]).toBe('admin');
    expect(forwarded[0]!.headers.cookie).toBeUndefined();
    expect(pluginKey(secret, 'remote-api')).not.toBe(pluginKey(secret, 'other-plugin'));
  });

  test('a slow backend is a 504, a huge answer a 502, and a redirect is passed back, not followed', async () => {
    const slow = await callExt(app, '/api/ext/remote-api/slow');
    expect(slow.statusCode).toBe(504);
    expect(slow.json().error.message).toMatch(/within 500 ms/);
    const huge = await callExt(app, '/api/ext/remote-api/huge');
    expect(huge.statusCode).toBe(502);
    expect(huge.json().error.message).toMatch(/too large/);
    const redirect = await callExt(app, '/api/ext/remote-api/redirect');
    expect(redirect.statusCode).toBe(302);
    expect(redirect.headers.location).toBeUndefined();
    const diagnostics = (
      await app.server.inject({ url: '/api/plugins/remote-api/diagnostics', headers: { cookie: app.adminCookie } })
    ).json();
    expect(diagnostics.kind).toBe('http');
    expect(diagnostics.calls.find((c: { name: string }) => c.name === 'GET /slow')).toMatchObject({
      count: 1,
      errors: 1,
    });
  });
});
