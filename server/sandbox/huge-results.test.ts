import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { CatalogStatus } from '@dbt-workbench/plugin-sdk/contracts/catalog.schema';
import { createCatalogFeature } from '../catalog/feature.ts';
import { createCatalogService } from '../catalog/service.ts';
import { copyArtifacts } from '../catalog/test-data.ts';
import { catalogIndexSource } from '../lineage/catalog-source.ts';
import { createLineageFeature } from '../lineage/feature.ts';
import { createLineageService } from '../lineage/service.ts';
import { coreLatencyDuring, GENEROUS_P99_MS } from '../testing/core-latency.ts';
import { startTestApp, type TestApp } from '../testing/test-app.ts';
import { createSandboxFeature } from './feature.ts';
import { hookResultProblem, MAX_OVERLAY_ITEMS } from './hook-results.ts';
import { approve, diagnosticsOf, eventually, withFixtures } from './testing.ts';

// Enrichers that answer too much, approved in a running server while the core API is measured: a 50 MB patch
// (refused where it crosses the channel, PLUGIN_RESPONSE_LIMIT_MB), 30,000 patches and search documents (each
// small, together more than a handler may return) and a lineage overlay of 10,000 badges. Each is refused
// whole, named in the plugin's diagnostics and the catalog's hook reports; the catalog loads without them.

const MODEL = 'model.jaffle_shop.customers';
let app: TestApp;

const get = async <T>(url: string): Promise<T> =>
  (await app.server.inject({ url, headers: { cookie: app.adminCookie } })).json() as T;

beforeAll(async () => {
  const catalog = createCatalogService({ watch: false });
  const lineage = createLineageService({ source: catalogIndexSource(catalog) });
  app = await startTestApp({
    workspaces: [{ name: 'shop' }],
    features: [
      createCatalogFeature(catalog),
      createLineageFeature(lineage),
      createSandboxFeature({ catalog, lineage }),
    ],
    prepare: (dir) => {
      withFixtures('huge-patch', 'many-patches')(dir);
      copyArtifacts('classic', path.join(dir, 'workspaces', 'shop', 'target'));
    },
  });
}, 30_000);
afterAll(() => app?.close());

describe('hook results past their limits', () => {
  test('counts are checked before any item is', () => {
    expect(hookResultProblem('artifact-load', Array.from({ length: 20_001 }))).toBe(
      'returned 20,001 patches; at most 20,000 are accepted',
    );
    expect(hookResultProblem('search-index', Array.from({ length: 20_000 }))).toBeUndefined();
    expect(hookResultProblem('lineage-build', { nodeBadges: Array.from({ length: MAX_OVERLAY_ITEMS + 1 }) })).toBe(
      'returned a lineage overlay of 5,001 items; at most 5,000 are accepted',
    );
    expect(hookResultProblem('run-complete', Array.from({ length: 1_000_000 }))).toBeUndefined();
  });

  test('a 50 MB patch, 30,000 patches and documents: refused whole and named, the core API within budget', async () => {
    const { core } = await coreLatencyDuring(app, '/api/workspaces/shop/models', 4000, async () => {
      await approve(app, 'huge-patch');
      await approve(app, 'many-patches');
      await eventually('both enrichers to be refused', async () => {
        const status = await get<CatalogStatus>('/api/workspaces/shop/catalog/status');
        const failed = status.hooks.filter((h) => !h.ok).map((h) => `${h.hook} ${h.owner}`);
        return failed.length === 3 ? true : undefined;
      });
    });
    console.info(`huge enricher results: core API ${JSON.stringify(core)}`);
    expect(core.errors).toBe(0);
    expect(core.p99Ms).toBeLessThan(GENEROUS_P99_MS);

    const status = await get<CatalogStatus>('/api/workspaces/shop/catalog/status');
    const report = (hook: string, owner: string) => status.hooks.find((h) => h.hook === hook && h.owner === owner);
    expect(report('artifactLoad', 'huge-patch')).toMatchObject({
      ok: false,
      error: expect.stringMatching(/too large|MB/),
    });
    expect(report('artifactLoad', 'many-patches')).toMatchObject({
      ok: false,
      error: 'returned 30,000 patches; at most 20,000 are accepted',
    });
    expect(report('searchIndexBuild', 'many-patches')).toMatchObject({
      ok: false,
      error: 'returned 30,000 search documents; at most 20,000 are accepted',
    });
    // Nothing of theirs landed; the catalog is whole.
    const node = await get<{ extensions: Record<string, unknown> }>(`/api/workspaces/shop/nodes/${MODEL}`);
    expect(node.extensions).toEqual({});

    const huge = await diagnosticsOf(app, 'huge-patch');
    expect(huge.calls.find((c) => c.name === 'artifact-load')).toMatchObject({
      errors: expect.any(Number),
      lastError: expect.stringMatching(/MB/),
    });
    const many = await diagnosticsOf(app, 'many-patches');
    expect(many.rejectedActions.map((r) => r.message)).toEqual(
      expect.arrayContaining([
        'its artifact-load hook returned 30,000 patches; at most 20,000 are accepted',
        'its search-index hook returned 30,000 search documents; at most 20,000 are accepted',
      ]),
    );
  }, 60_000);

  test('a lineage overlay of 10,000 badges is left out with the reason; the graph comes', async () => {
    const graph = await get<{
      nodes: unknown[];
      overlays: Record<string, unknown>;
      problems?: { owner: string; message: string }[];
    }>(`/api/workspaces/shop/lineage?focus=${MODEL}`);
    expect(graph.nodes.length).toBeGreaterThan(0);
    expect(graph.overlays['huge-patch']).toBeUndefined();
    expect(JSON.stringify(graph)).toMatch(/lineage overlay of 10,000 items; at most 5,000 are accepted/);
    const diagnostics = await diagnosticsOf(app, 'huge-patch');
    expect(diagnostics.rejectedActions.map((r) => r.message)).toContain(
      'its lineage-build hook returned a lineage overlay of 10,000 items; at most 5,000 are accepted',
    );
  }, 30_000);
});
