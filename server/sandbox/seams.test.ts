import { cpSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { NodeDetail, SearchResponse } from '@dbt-workbench/plugin-sdk/contracts/catalog.schema';
import { createCatalogFeature } from '../catalog/feature.ts';
import { createCatalogService } from '../catalog/service.ts';
import { copyArtifacts } from '../catalog/test-data.ts';
import { catalogIndexSource } from '../lineage/catalog-source.ts';
import { createLineageFeature } from '../lineage/feature.ts';
import { createLineageService } from '../lineage/service.ts';
import { runsFeature } from '../runs/feature.ts';
import { createRunService } from '../runs/service.ts';
import { schedulesFeature } from '../schedules/feature.ts';
import { startTestApp, type TestApp } from '../testing/test-app.ts';
import { createSandboxFeature } from './feature.ts';
import { approve, callExt, eventually, withFixtures } from './testing.ts';

// The example plugin (plugins/model-notes) and a fixture plugged into the lineage and run seams, in a server
// with the real catalog, lineage, runs and schedules features.

const MODEL = 'model.jaffle_shop.customers';
let app: TestApp;

beforeAll(async () => {
  const catalog = createCatalogService({ watch: false });
  const lineage = createLineageService({ source: catalogIndexSource(catalog) });
  const runs = createRunService({ graceMs: 200 });
  const schedules = schedulesFeature(runs);
  app = await startTestApp({
    workspaces: [{ name: 'shop', runCommand: ['/bin/true'] }],
    features: [
      createCatalogFeature(catalog),
      createLineageFeature(lineage),
      runsFeature(runs),
      schedules,
      createSandboxFeature({ catalog, lineage, runs, scheduler: schedules }),
    ],
    prepare: (dir) => {
      withFixtures('hooks-everywhere')(dir);
      cpSync(path.resolve(import.meta.dirname, '../../plugins/model-notes'), path.join(dir, 'plugins', 'model-notes'), {
        recursive: true,
      });
      copyArtifacts('classic', path.join(dir, 'workspaces', 'shop', 'target'));
    },
  });
  await approve(app, 'model-notes');
  await approve(app, 'hooks-everywhere');
  const routes: [string, string][] = [
    ['model-notes', `/notes?model=${MODEL}`],
    ['hooks-everywhere', '/seen'],
  ];
  for (const [plugin, route] of routes)
    await eventually(plugin, async () =>
      (await callExt(app, `/api/ext/${plugin}${route}`, { workspace: 'shop' })).statusCode === 200 ? true : undefined,
    );
}, 30_000);
afterAll(() => app?.close());

const get = async <T>(url: string): Promise<T> =>
  (await app.server.inject({ url, headers: { cookie: app.adminCookie } })).json() as T;
const node = () => get<NodeDetail>(`/api/workspaces/shop/nodes/${encodeURIComponent(MODEL)}`);

describe('model-notes: an API route, an artifact-load enricher and a search extension in a sandbox', () => {
  test('a note added through its route shows as noteCount on the model and as a search hit', async () => {
    const empty = await callExt(app, `/api/ext/model-notes/notes?model=${MODEL}`, { workspace: 'shop' });
    expect(empty.json()).toEqual({ model: MODEL, notes: [] });
    const added = await callExt(app, `/api/ext/model-notes/notes?model=${MODEL}`, {
      workspace: 'shop',
      method: 'POST',
      payload: { text: 'Lifetime value excludes refunds' },
    });
    expect(added.statusCode).toBe(201);
    expect(added.json()).toMatchObject({ text: 'Lifetime value excludes refunds', author: 'admin' });
    const listed = (await callExt(app, `/api/ext/model-notes/notes?model=${MODEL}`, { workspace: 'shop' })).json();
    expect(listed.notes).toHaveLength(1);

    const enriched = await eventually('noteCount on the model', async () => {
      const detail = await node();
      return (detail as { extensions?: Record<string, { noteCount?: number }> }).extensions?.['model-notes']
        ?.noteCount === 1
        ? detail
        : undefined;
    });
    expect(enriched.uniqueId).toBe(MODEL);
    const search = await get<SearchResponse>('/api/workspaces/shop/search?q=refunds');
    expect(search.hits.some((h) => h.owner === 'model-notes' && h.uniqueId === MODEL)).toBe(true);
  });

  test('bad input gets a clear 400; a viewer may read notes but not add them', async () => {
    const noModel = await callExt(app, '/api/ext/model-notes/notes', { workspace: 'shop' });
    expect(noModel.statusCode).toBe(400);
    expect(noModel.json().error.message).toMatch(/model/);
    const viewer = await app.userWithRoles('vic', { shop: 'viewer' });
    const denied = await callExt(app, `/api/ext/model-notes/notes?model=${MODEL}`, {
      workspace: 'shop',
      cookie: viewer,
      method: 'POST',
      payload: { text: 'hi' },
    });
    expect(denied.statusCode).toBe(403);
  });

  test('disabling the plugin removes its fields and its search documents', async () => {
    await app.server.inject({
      method: 'POST',
      url: '/api/plugins/model-notes/disable',
      headers: { cookie: app.adminCookie },
    });
    await eventually('noteCount gone', async () =>
      ((await node()) as { extensions?: Record<string, unknown> }).extensions?.['model-notes'] === undefined
        ? true
        : undefined,
    );
    const search = await get<SearchResponse>('/api/workspaces/shop/search?q=refunds');
    expect(search.hits.some((h) => h.owner === 'model-notes')).toBe(false);
    await app.server.inject({
      method: 'POST',
      url: '/api/plugins/model-notes/enable',
      headers: { cookie: app.adminCookie },
    });
  });
});

describe('lineage and run seams', () => {
  test('a lineage overlay from a sandboxed backend comes with the graph', async () => {
    const graph = await get<{ overlays: Record<string, { nodeBadges: { nodeId: string; label: string }[] }> }>(
      `/api/workspaces/shop/lineage?focus=${MODEL}`,
    );
    expect(graph.overlays['hooks-everywhere']?.nodeBadges).toEqual([
      expect.objectContaining({ nodeId: MODEL, label: 'noted' }),
    ]);
  });

  test('run hooks and the on-run-complete event reach the backend; the run completes', async () => {
    const started = await app.server.inject({
      method: 'POST',
      url: '/api/workspaces/shop/runs',
      headers: { cookie: app.adminCookie },
    });
    const run = started.json() as { id: string };
    const seen = await eventually('every run hook', async () => {
      const list = (await callExt(app, '/api/ext/hooks-everywhere/seen', { workspace: 'shop' })).json() as {
        what: string;
        run: string;
        status?: string;
      }[];
      const mine = list.filter((s) => s.run === run.id);
      return mine.length === 3 ? mine : undefined;
    });
    expect(seen.map((s) => s.what).sort()).toEqual(['on-run-complete', 'runs.onComplete', 'runs.onStart']);
    expect(seen.find((s) => s.what === 'runs.onComplete')?.status).toBe('success');
    expect((await get<{ status: string }>(`/api/workspaces/shop/runs/${run.id}`)).status).toBe('success');
  });
});
