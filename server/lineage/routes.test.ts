import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { LineageGraph, LineageSearchResult } from '@dbt-workbench/plugin-sdk/contracts/lineage.schema';
import { createCatalogFeature, createCatalogService } from '../catalog/index.ts';
import { startTestApp, type TestApp } from '../testing/test-app.ts';
import { catalogIndexSource } from './catalog-source.ts';
import { createLineageFeature } from './feature.ts';
import { artifactDirs, classic, runResultsFiles } from './fixtures.ts';
import { createLineageService, type LineageService } from './service.ts';

let app: TestApp | undefined;
afterEach(async () => {
  await app?.close();
  app = undefined;
});

const WS = 'shop';
const url = (query = '', ws = WS) => `/api/workspaces/${ws}/lineage${query ? `?${query}` : ''}`;

/** An app with the catalog and the lineage, `shop` holding the classic demo artifacts and `empty` none. */
async function start(): Promise<{ app: TestApp; lineage: LineageService; reload(): Promise<void> }> {
  const catalog = createCatalogService({ watch: false });
  const lineage = createLineageService({ source: catalogIndexSource(catalog) });
  app = await startTestApp({
    workspaces: [{ name: WS }, { name: 'empty' }],
    features: [createCatalogFeature(catalog), createLineageFeature(lineage)],
    prepare(dir) {
      const target = path.join(dir, 'workspaces', WS, 'target');
      copyFileSync(path.join(artifactDirs.classic, 'manifest.json'), path.join(target, 'manifest.json'));
      copyFileSync(runResultsFiles.classic, path.join(target, 'run_results.json'));
    },
  });
  const store = catalog.store(WS);
  return { app, lineage, reload: async () => store?.reload({ force: true }) };
}

describe('GET /api/workspaces/:workspace/lineage', () => {
  it('lets a viewer read a focused graph with test counts and statuses', async () => {
    const { app } = await start();
    const cookie = await app.userWithRoles('vera', { [WS]: 'viewer' });
    const response = await app.server.inject({
      url: url(`focus=${classic('customers')}&up=1&down=0`),
      headers: { cookie },
    });
    expect(response.statusCode).toBe(200);
    const graph = response.json<LineageGraph>();
    expect(graph.nodes.map((n) => n.id).sort()).toEqual(
      [classic('customers'), classic('stg_customers'), classic('stg_orders'), classic('stg_payments')].sort(),
    );
    expect(graph.edges).toHaveLength(3);
    expect(graph.nodes.find((n) => n.id === classic('customers'))).toMatchObject({
      resourceType: 'model',
      package: 'jaffle_shop',
      materialization: 'table',
      status: 'success',
      testCount: 2,
      testFailures: 0,
    });
    expect(graph).toMatchObject({ focus: classic('customers'), truncated: false, total: 4, tooLarge: false });
  });

  it('serves the whole project when it fits, and cuts a focus at the limit', async () => {
    const { app } = await start();
    const whole = (await app.server.inject({ url: url(), headers: { cookie: app.adminCookie } })).json<LineageGraph>();
    expect(whole.nodes).toHaveLength(39);
    const tooLarge = await app.server.inject({ url: url('limit=10'), headers: { cookie: app.adminCookie } });
    expect(tooLarge.json<LineageGraph>()).toMatchObject({ tooLarge: true, total: 39, nodes: [] });
    const cut = await app.server.inject({
      url: url(`focus=${classic('customers')}&limit=2`),
      headers: { cookie: app.adminCookie },
    });
    expect(cut.json<LineageGraph>()).toMatchObject({ truncated: true, total: 7 });
    expect(cut.json<LineageGraph>().nodes).toHaveLength(2);
  });

  it('selects with dbt selectors and answers 400 naming a bad one', async () => {
    const { app } = await start();
    const headers = { cookie: app.adminCookie };
    const ok = await app.server.inject({ url: url(`select=${encodeURIComponent('orders+')}`), headers });
    expect(
      ok
        .json<LineageGraph>()
        .nodes.map((n) => n.name)
        .sort(),
    ).toEqual(['daily_orders', 'orders']);
    const bad = await app.server.inject({ url: url(`select=${encodeURIComponent('+orders colour:red')}`), headers });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.code).toBe('bad_request');
    expect(bad.json().error.message).toContain('"colour:red"');
  });

  it('answers 400 naming a bad parameter, and 404 for an unknown focus', async () => {
    const { app } = await start();
    const headers = { cookie: app.adminCookie };
    const levels = await app.server.inject({ url: url('focus=x&up=-1'), headers });
    expect(levels.statusCode).toBe(400);
    expect(levels.json().error.message).toContain('up');
    const types = await app.server.inject({ url: url('types=model,macro'), headers });
    expect(types.statusCode).toBe(400);
    expect(types.json().error.message).toContain('"macro"');
    const focus = await app.server.inject({ url: url('focus=model.jaffle_shop.nope'), headers });
    expect(focus.statusCode).toBe(404);
    expect(focus.json().error.message).toContain('model.jaffle_shop.nope');
  });

  it('answers 401 without a session and 404 to users outside the workspace', async () => {
    const { app } = await start();
    expect((await app.server.inject({ url: url() })).statusCode).toBe(401);
    const cookie = await app.userWithRoles('otto', { empty: 'admin' });
    const response = await app.server.inject({ url: url(), headers: { cookie } });
    expect(response.statusCode).toBe(404);
    expect(response.json().error.code).toBe('workspace_not_found');
  });

  it('answers 404 saying the manifest is missing for a workspace without artifacts', async () => {
    const { app } = await start();
    const response = await app.server.inject({ url: url('', 'empty'), headers: { cookie: app.adminCookie } });
    expect(response.statusCode).toBe(404);
    expect(response.json().error.message).toContain('manifest.json');
  });

  it('sends the overlays of lineageBuild handlers beside the graph', async () => {
    const { app, lineage } = await start();
    lineage.lineageBuild.register({
      owner: 'owners',
      handle: ({ nodes }) => ({ nodeBadges: nodes.map((n) => ({ nodeId: n.id, label: 'team data' })) }),
    });
    const graph = (
      await app.server.inject({
        url: url(`focus=${classic('orders')}&up=0&down=0`),
        headers: { cookie: app.adminCookie },
      })
    ).json<LineageGraph>();
    expect(graph.overlays).toEqual({
      owners: {
        nodeBadges: [{ nodeId: classic('orders'), label: 'team data', tone: 'neutral' }],
        annotations: [],
        extraEdges: [],
      },
    });
  });

  it('follows the artifacts when the catalog reloads them', async () => {
    const { app, reload } = await start();
    const headers = { cookie: app.adminCookie };
    const before = await app.server.inject({ url: url(`focus=${classic('orders')}&up=0`), headers });
    expect(
      before
        .json<LineageGraph>()
        .nodes.map((n) => n.name)
        .sort(),
    ).toEqual(['daily_orders', 'orders']);

    const file = path.join(app.dir, 'workspaces', WS, 'target', 'manifest.json');
    const manifest = JSON.parse(readFileSync(file, 'utf8'));
    manifest.child_map[classic('orders')] = manifest.child_map[classic('orders')].filter(
      (id: string) => id !== classic('daily_orders'),
    );
    manifest.parent_map[classic('daily_orders')] = [];
    manifest.nodes[classic('daily_orders')].depends_on.nodes = [];
    writeFileSync(file, JSON.stringify(manifest));
    await reload();

    const after = await app.server.inject({ url: url(`focus=${classic('orders')}&up=0`), headers });
    expect(after.json<LineageGraph>().nodes.map((n) => n.name)).toEqual(['orders']);
  });
});

describe('GET /api/workspaces/:workspace/lineage/search', () => {
  it('finds nodes to focus on by name', async () => {
    const { app } = await start();
    const cookie = await app.userWithRoles('vic', { [WS]: 'viewer' });
    const response = await app.server.inject({ url: `${url()}/search?q=stg_`, headers: { cookie } });
    expect(response.statusCode).toBe(200);
    expect(
      response
        .json<LineageSearchResult>()
        .hits.map((h) => h.name)
        .sort(),
    ).toEqual(['stg_customers', 'stg_orders', 'stg_payments']);
  });
});
