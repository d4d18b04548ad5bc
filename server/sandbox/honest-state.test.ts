import path from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { testManifest } from '../../shared/testing/manifests.ts';
import { writeBackendPlugin } from '../testing/backend-plugin.ts';
import { followServerEvents } from '../testing/server-events.ts';
import { startTestApp, type TestApp } from '../testing/test-app.ts';
import { createSandboxFeature } from './feature.ts';
import { approve, callExt, eventually, withFixtures } from './testing.ts';

// The state admins see is the state things are in (issue 13 item 3, SPEC 4.7): `loading` while a plugin's backend
// starts, `error` with the reason while it is down or crash-looping, `active` once it answers; the list, the detail
// and the server events agree.
let app: TestApp | undefined;
let streams: (() => void)[] = [];
afterEach(async () => {
  for (const close of streams) close();
  streams = [];
  await app?.close();
  app = undefined;
});

interface Shown {
  state: string;
  reason?: string;
}

async function shown(a: TestApp, name: string): Promise<{ detail: Shown; listed: Shown }> {
  const get = (url: string) => a.server.inject({ url, headers: { cookie: a.adminCookie } }).then((r) => r.json());
  const detail = (await get(`/api/plugins/${name}`)) as Shown;
  const list = (await get('/api/plugins')) as { plugins: (Shown & { name: string })[] };
  const listed = list.plugins.find((p) => p.name === name)!;
  return {
    detail: { state: detail.state, ...(detail.reason ? { reason: detail.reason } : {}) },
    listed: { state: listed.state, ...(listed.reason ? { reason: listed.reason } : {}) },
  };
}

/** The `plugin-state-changed` events an open shell receives, as they come. */
async function stateEvents(a: TestApp): Promise<{ plugin: string; state: string }[]> {
  const address = await a.server.listen({ port: 0, host: '127.0.0.1' });
  const received: { plugin: string; state: string }[] = [];
  const close = await followServerEvents(address, a.adminCookie, (event) => {
    if (event.type === 'plugin-state-changed')
      received.push({ plugin: String(event.plugin), state: String(event.state) });
  });
  streams.push(close);
  return received;
}

function slowStarter(dir: string) {
  withFixtures()(dir);
  writeBackendPlugin(
    path.join(dir, 'plugins'),
    testManifest('slow-start', { capabilities: ['extend-api'], backend: { entry: 'index.ts' } }),
    `export async function activate(host) {
      await new Promise((resolve) => setTimeout(resolve, 2000));
      await host.routes.register('GET', '/hello', () => ({ body: 'hello' }));
    }\n`,
  );
}

describe('honest plugin state', () => {
  test('loading while its backend starts, then active once it answers; an open shell hears of both', async () => {
    app = await startTestApp({
      features: [createSandboxFeature()],
      env: { PLUGINS_WATCH: 'false' },
      prepare: slowStarter,
    });
    const a = app;
    const received = await stateEvents(a);
    await approve(a, 'slow-start');
    const starting = await shown(a, 'slow-start');
    expect(starting.detail).toEqual({ state: 'loading', reason: 'its backend is starting' });
    expect(starting.listed).toEqual(starting.detail);
    await eventually('the backend to answer', async () =>
      (await callExt(a, '/api/ext/slow-start/hello')).statusCode === 200 ? true : undefined,
    );
    expect(await shown(a, 'slow-start')).toEqual({ detail: { state: 'active' }, listed: { state: 'active' } });
    await eventually('the shell to hear it is active', () =>
      received.some((e) => e.plugin === 'slow-start' && e.state === 'active') ? true : undefined,
    );
    expect(received.filter((e) => e.plugin === 'slow-start').map((e) => e.state)).toEqual(['loading', 'active']);
  }, 30_000);

  test('a backend that exits at every start is in error with the reason, not active, 8 s later', async () => {
    app = await startTestApp({
      features: [createSandboxFeature()],
      env: { PLUGINS_WATCH: 'false' },
      prepare: withFixtures('crash-loop'),
    });
    const a = app;
    const received = await stateEvents(a);
    await approve(a, 'crash-loop');
    await new Promise((resolve) => setTimeout(resolve, 8000));
    const { detail, listed } = await shown(a, 'crash-loop');
    expect(detail.state).toBe('error');
    // Down between restarts, or running again but crash-looping, or behind the open circuit: each says why.
    expect(detail.reason).toMatch(/^its backend (stopped|is crash-looping|is down).*crash-loop fixture: boom/);
    expect(listed).toEqual(detail);
    expect(received.filter((e) => e.plugin === 'crash-loop').at(-1)).toEqual({ plugin: 'crash-loop', state: 'error' });
    // It stays switched on: the admin can still disable it, and it is retried after the circuit's cooldown.
    expect(a.plugins.get('crash-loop')?.state).toBe('active');
  }, 30_000);

  test('a crash puts it in error while it is down, and it is active again once it answers', async () => {
    app = await startTestApp({
      features: [createSandboxFeature()],
      env: { PLUGINS_WATCH: 'false' },
      prepare: withFixtures('versioned'),
    });
    const a = app;
    const received = await stateEvents(a);
    await approve(a, 'versioned');
    await eventually('the backend to answer', async () =>
      (await callExt(a, '/api/ext/versioned/build')).statusCode === 200 ? true : undefined,
    );
    await eventually('the shell to hear it is active', () =>
      received.some((e) => e.state === 'active') ? true : undefined,
    );
    const before = received.length;
    await callExt(a, '/api/ext/versioned/crash');
    await eventually('the backend to answer again', async () =>
      (await callExt(a, '/api/ext/versioned/build')).statusCode === 200 ? true : undefined,
    );
    expect(await shown(a, 'versioned')).toEqual({ detail: { state: 'active' }, listed: { state: 'active' } });
    await eventually('the shell to hear it is back', () =>
      received.slice(before).some((e) => e.state === 'active') ? true : undefined,
    );
    expect(received.slice(before).map((e) => e.state)).toEqual(['error', 'active']);
  }, 30_000);
});
