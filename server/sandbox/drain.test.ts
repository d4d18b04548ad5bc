import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { createCatalogFeature } from '../catalog/feature.ts';
import { createCatalogService } from '../catalog/service.ts';
import { copyArtifacts } from '../catalog/test-data.ts';
import { catalogIndexSource } from '../lineage/catalog-source.ts';
import { createLineageFeature } from '../lineage/feature.ts';
import { createLineageService } from '../lineage/service.ts';
import { testManifest } from '../../shared/testing/manifests.ts';
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
    const events = (await diagnosticsOf(app, 'versioned')).events.map((e) => e.message);
    expect(events).toContain('1 call did not finish within 300 ms and answered 503');
  }, 30_000);

  test('a lineage hook in progress completes across a disable, and its overlay comes with the graph', async () => {
    const catalog = createCatalogService({ watch: false });
    const lineage = createLineageService({ source: catalogIndexSource(catalog) });
    app = await startTestApp({
      workspaces: [{ name: 'shop' }],
      env: { PLUGINS_WATCH: 'false' },
      features: [
        createCatalogFeature(catalog),
        createLineageFeature(lineage),
        createSandboxFeature({ catalog, lineage }),
      ],
      prepare(dir) {
        withFixtures()(dir);
        const plugin = path.join(dir, 'plugins', 'slow-overlay');
        mkdirSync(path.join(plugin, 'backend'), { recursive: true });
        const manifest = testManifest('slow-overlay', {
          capabilities: ['modify-lineage'],
          backend: { entry: 'index.ts', limits: { timeoutMs: 4000 } },
        });
        writeFileSync(path.join(plugin, 'manifest.json'), JSON.stringify(manifest));
        writeFileSync(
          path.join(plugin, 'backend', 'index.ts'),
          `export async function activate(host) {
            await host.lineage.onBuild(async () => {
              await new Promise((resolve) => setTimeout(resolve, 1500));
              return { annotations: [{ text: 'slow but done' }] };
            });
          }\n`,
        );
        copyArtifacts('classic', path.join(dir, 'workspaces', 'shop', 'target'));
      },
    });
    const a = app;
    await approve(a, 'slow-overlay');
    await eventually('the backend to run', () => (pluginBackendsOf(a.plugins)!.pid('slow-overlay') ? true : undefined));
    const graph = a.server.inject({ url: '/api/workspaces/shop/lineage', headers: { cookie: a.adminCookie } });
    await eventually('the hook to be in the backend', () =>
      pluginBackendsOf(a.plugins)!.inFlight('slow-overlay') === 1 ? true : undefined,
    );
    await asAdmin(a, 'POST', '/api/plugins/slow-overlay/disable');
    const answer = (await graph).json() as {
      overlays: Record<string, { annotations?: { text: string }[] }>;
      overlayProblems?: unknown[];
    };
    expect(answer.overlayProblems ?? []).toEqual([]);
    expect(answer.overlays['slow-overlay']?.annotations).toEqual([{ text: 'slow but done' }]);
  }, 30_000);
});
