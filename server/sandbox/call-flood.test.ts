import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { testManifest } from '../../shared/testing/manifests.ts';
import { loadFromAnotherProcess } from '../../scripts/bench/sandbox-support.ts';
import { createCatalogFeature } from '../catalog/feature.ts';
import { createCatalogService } from '../catalog/service.ts';
import { copyArtifacts } from '../catalog/test-data.ts';
import { coreLatencyDuring, GENEROUS_P99_MS, listening } from '../testing/core-latency.ts';
import { startTestApp, type TestApp } from '../testing/test-app.ts';
import { concurrencyLimit, createCallGate } from './call-gate.ts';
import { createSandboxFeature } from './feature.ts';
import { approve, callExt, diagnosticsOf, eventually, withFixtures } from './testing.ts';

// A call flood as an attacker makes it: 400 callers at once on a route that holds every call for 2 s, each
// calling again a second after its answer (a 429 comes at once), against a
// sandboxed backend (the `holds-calls` fixture, whose manifest asks for 100000 calls at once) and a deployed
// one (`backend.url`). Each plugin gets at most PLUGIN_MAX_CONCURRENT_CALLS in flight, the rest 429 with
// Retry-After, and the core API keeps its B8 budget while the flood runs.

const LIMIT = 32;
const CORE = '/api/workspaces/shop/models';

describe('the call gate', () => {
  test('lets `limit` calls in per plugin, gives slots back once, and a manifest may only go lower', () => {
    const gate = createCallGate();
    const taken = Array.from({ length: 3 }, () => gate.enter('a', 3));
    expect(taken.every(Boolean)).toBe(true);
    expect(gate.enter('a', 3)).toBeUndefined();
    expect(gate.enter('b', 3)).toBeDefined();
    taken[0]!();
    taken[0]!();
    expect(gate.inFlight('a')).toBe(2);
    expect(gate.enter('a', 3)).toBeDefined();
    expect(concurrencyLimit(32, undefined)).toBe(32);
    expect(concurrencyLimit(32, 4)).toBe(4);
    expect(concurrencyLimit(32, 100_000)).toBe(32);
  });
});

describe('a flood of 400 concurrent calls', () => {
  let app: TestApp;
  let backend: Server;
  let remoteMost = 0;
  let remoteHolding = 0;

  beforeAll(async () => {
    backend = createServer((request, response) => {
      remoteHolding += 1;
      remoteMost = Math.max(remoteMost, remoteHolding);
      setTimeout(() => {
        remoteHolding -= 1;
        response.writeHead(200, { 'content-type': 'application/json' });
        response.end('{"held":true}');
      }, 2000);
    });
    await new Promise<void>((resolve) => backend.listen(0, '127.0.0.1', resolve));
    const port = (backend.address() as AddressInfo).port;
    const catalog = createCatalogService({ watch: false });
    app = await startTestApp({
      // The token bucket is out of the way here: what answers 429 is the concurrency limit.
      env: { PLUGIN_ROUTE_RATE: '1000000', PLUGIN_ROUTE_BURST: '1000000', PLUGINS_WATCH: 'false' },
      workspaces: [{ name: 'shop' }],
      features: [createCatalogFeature(catalog), createSandboxFeature()],
      prepare: (dir) => {
        withFixtures('holds-calls')(dir);
        copyArtifacts('classic', path.join(dir, 'workspaces', 'shop', 'target'));
        mkdirSync(path.join(dir, 'plugins', 'holds-remote'), { recursive: true });
        const manifest = testManifest('holds-remote', {
          capabilities: ['extend-api'],
          // A deployed backend that asks for fewer calls at once than the server allows gets its own lower limit.
          backend: { url: `http://127.0.0.1:${port}/`, limits: { timeoutMs: 5000, maxConcurrentCalls: 8 } },
        });
        writeFileSync(path.join(dir, 'plugins', 'holds-remote', 'manifest.json'), JSON.stringify(manifest));
      },
    });
    await approve(app, 'holds-calls');
    await approve(app, 'holds-remote');
    await eventually('holds-calls to answer', async () =>
      (await callExt(app, '/api/ext/holds-calls/hold?ms=1', { workspace: 'shop' })).statusCode === 200
        ? true
        : undefined,
    );
  }, 60_000);
  afterAll(async () => {
    await app?.close();
    backend?.closeAllConnections();
    backend?.close();
  });

  test.each([
    ['holds-calls', LIMIT],
    ['holds-remote', 8],
  ])(
    '%s: at most its limit in flight, the rest 429 with Retry-After, the core API within budget',
    async (plugin, limit) => {
      const base = await listening(app);
      const flood = () =>
        loadFromAnotherProcess({
          url: `${base}/api/ext/${plugin}/hold`,
          headers: { cookie: app.adminCookie, 'x-workbench-workspace': 'shop' },
          concurrency: 400,
          count: 6000,
          maxMs: 3000,
          warmup: 0,
          // 400 callers at once, each calling again a second after its answer.
          pauseMs: 1000,
        });
      const quiet = await coreLatencyDuring(app, CORE, 3000, () => new Promise((r) => setTimeout(r, 3000)));
      console.info(`quiet: ${JSON.stringify(quiet.core)}`);
      const { core, attack } = await coreLatencyDuring(app, CORE, 3000, flood);
      console.info(`${plugin} flood: ${JSON.stringify(attack.statuses)}; core API ${JSON.stringify(core)}`);

      expect(attack.statuses['429']).toBeGreaterThan(400);
      expect(attack.statuses['200']).toBeGreaterThanOrEqual(limit);
      expect(core.errors).toBe(0);
      expect(core.requests).toBeGreaterThan(100);
      expect(core.p99Ms).toBeLessThan(GENEROUS_P99_MS);

      // What the backend itself saw: never more than the limit at once.
      if (plugin === 'holds-calls') {
        const most = await callExt(app, '/api/ext/holds-calls/most', { workspace: 'shop' });
        expect(most.json().most).toBe(limit);
      } else expect(remoteMost).toBe(limit);

      // The 429 a caller gets while the plugin is full: Retry-After and an error naming the plugin and the limit.
      // `inject` sends once its answer is awaited: Promise.resolve sends these now.
      const holders = Array.from({ length: limit }, () =>
        Promise.resolve(callExt(app, `/api/ext/${plugin}/hold?ms=500`, { workspace: 'shop' })),
      );
      await eventually('the plugin to be full', async () => {
        const refused = await callExt(app, `/api/ext/${plugin}/hold?ms=1`, { workspace: 'shop' });
        if (refused.statusCode !== 429) return undefined;
        expect(refused.headers['retry-after']).toBe('1');
        expect(refused.json().error).toEqual({
          code: 'plugin_busy',
          message: `${limit} calls to plugin ${plugin} are in flight already, as many as it may have at once; try again in a second`,
          details: { plugin, limit },
        });
        return true;
      });
      expect((await Promise.all(holders)).every((r) => r.statusCode === 200)).toBe(true);

      // Counted in its diagnostics; logged as `throttled` lines, at most one a second (not one per refused call).
      const diagnostics = await diagnosticsOf(app, plugin);
      expect(diagnostics.refusedCalls.concurrency).toBeGreaterThanOrEqual(attack.statuses['429']!);
      expect(diagnostics.refusedCalls.rate).toBe(0);
      // The last second's line comes when that second ends: wait for the lines to add up to the count.
      const throttled = await eventually('the throttled lines to add up', async () => {
        const events = (await diagnosticsOf(app, plugin)).events.filter((e) => e.type === 'throttled');
        const refused = events.reduce((sum, e) => sum + Number(/^(\d+) calls? refused/.exec(e.message)?.[1]), 0);
        return refused === (await diagnosticsOf(app, plugin)).refusedCalls.concurrency ? events : undefined;
      });
      expect(throttled.length).toBeGreaterThan(0);
      expect(throttled.length).toBeLessThanOrEqual(8);
      expect(throttled[0]!.message).toMatch(new RegExp(`refused \\(429\\): ${limit} calls to plugin ${plugin}`));
      await eventually('the throttled lines in its log', async () => {
        const logs = await app.server.inject({
          url: `/api/plugins/${plugin}/logs?q=throttled&limit=500`,
          headers: { cookie: app.adminCookie },
        });
        const lines = (logs.json() as { lines: { message: string }[] }).lines;
        return lines.length === throttled.length ? true : undefined;
      });
    },
    30_000,
  );
});
