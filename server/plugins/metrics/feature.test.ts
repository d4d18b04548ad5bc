import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { PluginList } from '../../../shared/api.schema.ts';
import type { PluginDiagnostics } from '@dbt-workbench/plugin-sdk/contracts/sandbox.schema';
import { testManifest } from '../../../shared/testing/manifests.ts';
import { createSandboxFeature } from '../../sandbox/feature.ts';
import { startTestApp, type TestApp } from '../../testing/test-app.ts';
import { createPluginMetricsFeature } from './feature.ts';
import { pluginMetricsOf } from './view.ts';

// A UI-only plugin (no backend) sampled on a fake timer and clock: its history holds what browsers reported.

let app: TestApp;
let clock = Date.parse('2025-03-01T12:00:00Z');
let tick: () => Promise<void> = async () => {};

beforeAll(async () => {
  app = await startTestApp({
    features: [
      createSandboxFeature(),
      createPluginMetricsFeature({
        now: () => new Date(clock),
        every: (_ms, fn) => {
          tick = fn;
          return () => {};
        },
      }),
    ],
    prepare(dir) {
      mkdirSync(path.join(dir, 'plugins', 'watched'), { recursive: true });
      writeFileSync(path.join(dir, 'plugins', 'watched', 'manifest.json'), JSON.stringify(testManifest('watched')));
    },
  });
});
afterAll(() => app?.close());

const get = async <T>(url: string) =>
  (await app.server.inject({ url, headers: { cookie: app.adminCookie } })).json() as T;

describe('the cost history feature', () => {
  test('a UI-only plugin gets points of what browsers reported, and a health from them', async () => {
    const empty = await get<PluginDiagnostics>('/api/plugins/watched/diagnostics');
    expect(empty).toMatchObject({ kind: 'none', memoryMb: null, history: [], historyIntervalMs: 10_000 });
    expect(empty.health).toEqual({ level: 'idle', summary: 'No figures yet' });

    const posted = await app.server.inject({
      method: 'POST',
      url: '/api/plugins/telemetry',
      headers: { cookie: app.adminCookie },
      payload: {
        events: [
          ...[10, 20, 30, 40].map((ms) => ({ plugin: 'watched', kind: 'load', ms })),
          { plugin: 'watched', kind: 'render-error', message: 'boom' },
        ],
      },
    });
    expect(posted.statusCode).toBe(204);
    await tick();

    const after = await get<PluginDiagnostics>('/api/plugins/watched/diagnostics');
    expect(after.history).toEqual([
      expect.objectContaining({
        at: '2025-03-01T12:00:00.000Z',
        calls: 0,
        p95Ms: null,
        memoryMb: null,
        frontendLoads: 4,
        frontendLoadP95Ms: 40,
        frontendErrors: 1,
      }),
    ]);
    const degraded = { level: 'degraded', summary: '1 load or render error in browsers in the last 5 min' };
    expect(after.health).toEqual(degraded);
    const list = await get<PluginList>('/api/plugins');
    expect(list.plugins.find((p) => p.name === 'watched')?.health).toEqual(degraded);

    // The next interval starts empty.
    clock += 10_000;
    await tick();
    expect((await get<PluginDiagnostics>('/api/plugins/watched/diagnostics')).history?.[1]).toMatchObject({
      frontendLoads: 0,
      frontendErrors: 0,
    });
  });

  test("health reads a registered budget source, and the settings' budget once it is gone", async () => {
    const metrics = pluginMetricsOf(app.plugins)!;
    const defaults = app.context.settings.pluginOperations.budget;
    clock += 120_000;
    const unregister = metrics.registerBudgetSource((name) =>
      name === 'watched' ? { ...defaults, windowMs: 60_000 } : undefined,
    );
    expect(metrics.health('watched')).toEqual({ level: 'idle', summary: 'No calls or loads in the last 60 s' });
    unregister();
    expect(metrics.health('watched')?.level).toBe('degraded');
    expect(metrics.health('not-installed')).toBeUndefined();
  });
});
