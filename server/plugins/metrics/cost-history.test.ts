import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { PluginSummary } from '../../../shared/api.schema.ts';
import type { MetricsPoint } from '@dbt-workbench/plugin-sdk/contracts/plugin-metrics.schema';
import { createCatalogFeature } from '../../catalog/feature.ts';
import { createCatalogService } from '../../catalog/service.ts';
import { copyArtifacts } from '../../catalog/test-data.ts';
import { catalogIndexSource } from '../../lineage/catalog-source.ts';
import { createLineageFeature } from '../../lineage/feature.ts';
import { createLineageService } from '../../lineage/service.ts';
import { createSandboxFeature } from '../../sandbox/feature.ts';
import { approve, callExt, diagnosticsOf, eventually, withFixtures } from '../../sandbox/testing.ts';
import { startTestApp, type TestApp } from '../../testing/test-app.ts';
import { createPluginMetricsFeature } from './feature.ts';

// A real backend process whose lineage overlay and route take as long as its configuration says, sampled every
// 100 ms against a 300 ms p95 budget (room for a loaded machine's fast calls): its cost history and health follow when an admin makes it slow.

const PLUGIN = 'slow-on-demand';
let app: TestApp;

beforeAll(async () => {
  const catalog = createCatalogService({ watch: false });
  const lineage = createLineageService({ source: catalogIndexSource(catalog) });
  app = await startTestApp({
    workspaces: [{ name: 'shop' }],
    env: { PLUGIN_METRICS_INTERVAL_MS: '100', PLUGIN_BUDGET_P95_MS: '300' },
    features: [
      createCatalogFeature(catalog),
      createLineageFeature(lineage),
      createSandboxFeature({ catalog, lineage }),
      createPluginMetricsFeature(),
    ],
    prepare: (dir) => {
      withFixtures(PLUGIN)(dir);
      copyArtifacts('classic', path.join(dir, 'workspaces', 'shop', 'target'));
    },
  });
  await approve(app, PLUGIN);
  await eventually(PLUGIN, async () =>
    (await callExt(app, `/api/ext/${PLUGIN}/work`, { workspace: 'shop' })).statusCode === 200 ? true : undefined,
  );
}, 30_000);
afterAll(() => app?.close());

const lineage = () => app.server.inject({ url: '/api/workspaces/shop/lineage', headers: { cookie: app.adminCookie } });
const configure = (delayMs: number) =>
  app.server.inject({
    method: 'PUT',
    url: `/api/plugins/${PLUGIN}/config`,
    headers: { cookie: app.adminCookie },
    payload: { config: { delayMs } },
  });
/** Calls the overlay and the route `times` times each, all at once, and checks they answered. */
async function traffic(times: number) {
  const answers = await Promise.all(
    Array.from({ length: times }, () => [
      lineage(),
      callExt(app, `/api/ext/${PLUGIN}/work`, { workspace: 'shop' }),
    ]).flat(),
  );
  expect(answers.map((a) => a.statusCode)).toEqual(answers.map(() => 200));
  const overlay = answers[0]!.json() as { overlays: { plugin: string }[]; overlayProblems: unknown[] };
  expect(overlay.overlayProblems).toEqual([]);
}
const withHookCalls = (history: MetricsPoint[] = []) => history.filter((p) => p.hookP95Ms !== null);

describe('cost history and health of a plugin made slow', () => {
  test('p95 in the latest points rises well past the fast ones and health turns degraded', async () => {
    await traffic(10);
    const fast = await eventually('points with the fast calls', async () => {
      const points = withHookCalls((await diagnosticsOf(app, PLUGIN)).history);
      return points.reduce((n, p) => n + p.calls, 0) >= 20 ? points : undefined;
    });
    const fastP95 = Math.max(...fast.map((p) => p.hookP95Ms!));
    expect(fastP95).toBeLessThan(300);
    const before = await diagnosticsOf(app, PLUGIN);
    expect(before.health?.level).toBe('healthy');
    expect(before.historyIntervalMs).toBe(100);
    expect(before.memoryMb).toBeGreaterThan(10);
    expect(before.history?.at(-1)?.memoryMb).toBeGreaterThan(10);

    expect((await configure(600)).statusCode).toBe(200);
    await traffic(5);
    const after = await eventually('a point with the slow calls', async () => {
      const d = await diagnosticsOf(app, PLUGIN);
      return (withHookCalls(d.history).at(-1)?.hookP95Ms ?? 0) >= 600 ? d : undefined;
    });
    const latest = withHookCalls(after.history).at(-1)!;
    expect(latest.hookP95Ms!).toBeGreaterThan(fastP95 + 300);
    expect(latest.p95Ms!).toBeGreaterThanOrEqual(600);
    expect(after.health).toEqual({
      level: 'degraded',
      summary: expect.stringMatching(/^p95 \d{3,} ms over the 300 ms budget$/),
    });

    // The installed-plugins list shows the same health without a request per plugin.
    const list = (await app.server.inject({ url: '/api/plugins', headers: { cookie: app.adminCookie } })).json() as {
      plugins: PluginSummary[];
    };
    expect(list.plugins.find((p) => p.name === PLUGIN)?.health?.level).toBe('degraded');

    // Fast again: the next point with hook calls brings it back.
    expect((await configure(0)).statusCode).toBe(200);
    await traffic(3);
    await eventually('healthy again', async () =>
      (await diagnosticsOf(app, PLUGIN)).health?.level === 'healthy' ? true : undefined,
    );
  }, 30_000);
});
