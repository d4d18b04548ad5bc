import { afterEach, describe, expect, test } from 'vitest';
import { startTestApp, type TestApp } from '../testing/test-app.ts';
import { createSandboxFeature, pluginBackendsOf } from './feature.ts';
import { approve, callExt, diagnosticsOf, eventually, withFixtures } from './testing.ts';

// Calls already inside a backend finish when the plugin is disabled or removed (issue 13 item 4), within
// PLUGIN_DRAIN_MS; those still running then answer a clear 503. New calls are refused at once.
let app: TestApp | undefined;
afterEach(async () => {
  await app?.close();
  app = undefined;
});

async function serving(env: Record<string, string> = {}): Promise<TestApp> {
  const started = await startTestApp({
    features: [createSandboxFeature()],
    env: { PLUGINS_WATCH: 'false', ...env },
    prepare: withFixtures('versioned'),
  });
  await approve(started, 'versioned');
  await eventually('the backend to serve', async () =>
    (await callExt(started, '/api/ext/versioned/build')).statusCode === 200 ? true : undefined,
  );
  return started;
}

/** Starts `count` calls to the 2 s route and waits until all are inside the backend. */
async function callsInFlight(a: TestApp, count: number) {
  const calls = Array.from({ length: count }, () => callExt(a, '/api/ext/versioned/slow?ms=2000'));
  await eventually('the calls to be in the backend', () =>
    pluginBackendsOf(a.plugins)!.inFlight('versioned') === count ? true : undefined,
  );
  return calls;
}

async function asAdmin(a: TestApp, method: 'POST' | 'DELETE', url: string) {
  const response = await a.server.inject({ method, url, headers: { cookie: a.adminCookie } });
  expect(response.statusCode, response.body).toBe(200);
}

describe('in-flight work finishes', () => {
  test('20 calls to a 2 s route finish with 200 across a disable; a new call gets 404', async () => {
    app = await serving();
    const calls = await callsInFlight(app, 20);
    const pid = pluginBackendsOf(app.plugins)!.pid('versioned');
    await asAdmin(app, 'POST', '/api/plugins/versioned/disable');
    expect((await callExt(app, '/api/ext/versioned/build')).statusCode).toBe(404);
    const answers = await Promise.all(calls);
    expect(answers.map((r) => r.statusCode)).toEqual(Array(20).fill(200));
    expect(answers.every((r) => (r.json() as { pid: number }).pid === pid)).toBe(true);
    expect((await callExt(app, '/api/ext/versioned/build')).statusCode).toBe(404);
    const events = (await diagnosticsOf(app, 'versioned')).events.map((e) => e.message);
    expect(events).toContain('stopped by the server; 20 calls in flight may take 10000 ms to finish');
  }, 30_000);

  test('calls in flight finish across a removal', async () => {
    app = await serving();
    const calls = await callsInFlight(app, 5);
    await asAdmin(app, 'DELETE', '/api/plugins/versioned');
    expect((await callExt(app, '/api/ext/versioned/build')).statusCode).toBe(404);
    expect((await Promise.all(calls)).map((r) => r.statusCode)).toEqual(Array(5).fill(200));
  }, 30_000);

  test('past PLUGIN_DRAIN_MS a call still running answers 503 saying why, and the process is gone', async () => {
    app = await serving({ PLUGIN_DRAIN_MS: '300' });
    const [call] = await callsInFlight(app, 1);
    const started = Date.now();
    await asAdmin(app, 'POST', '/api/plugins/versioned/disable');
    const answer = await call!;
    expect(Date.now() - started).toBeLessThan(1500);
    expect(answer.statusCode).toBe(503);
    expect(answer.json().error).toMatchObject({ code: 'plugin_unavailable' });
    expect(answer.json().error.message).toMatch(/did not finish within 300 ms \(PLUGIN_DRAIN_MS\)/);
    expect(pluginBackendsOf(app.plugins)!.pid('versioned')).toBeUndefined();
  }, 30_000);
});
