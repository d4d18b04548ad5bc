import { cpSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { LineageGraph, LineageSearchHit } from '@dbt-workbench/plugin-sdk/contracts/lineage.schema';
import { createCatalogFeature } from '../catalog/feature.ts';
import { createCatalogService } from '../catalog/service.ts';
import { copyArtifacts } from '../catalog/test-data.ts';
import { createSandboxFeature } from '../sandbox/feature.ts';
import { approve, eventually, withFixtures } from '../sandbox/testing.ts';
import { startTestApp, type TestApp } from '../testing/test-app.ts';
import { catalogIndexSource } from './catalog-source.ts';
import { createLineageFeature } from './feature.ts';
import { buildProjectGraph } from './graph.ts';
import { extendGraph } from './plugin-nodes.ts';
import { createLineageService } from './service.ts';

// Nodes and edges from plugins (`host.lineage.addNodes`, modify-lineage): plugins/bi-exposures in its sandboxed
// backend adds two dashboards as exposures to the demo project's lineage.

const PLUGIN = path.resolve(import.meta.dirname, '../../plugins/bi-exposures');
const REVENUE = 'exposure.bi-exposures.revenue_dashboard';
const CHURN = 'exposure.bi-exposures.customer_churn';
let app: TestApp;

const lineage = async (query: string) => {
  const response = await app.server.inject({
    url: `/api/workspaces/default/lineage?${query}`,
    headers: { cookie: app.adminCookie },
  });
  return { status: response.statusCode, body: response.json() as LineageGraph };
};
const search = async (q: string) =>
  (
    await app.server.inject({
      url: `/api/workspaces/default/lineage/search?q=${q}`,
      headers: { cookie: app.adminCookie },
    })
  ).json() as { hits: LineageSearchHit[] };
const select = (selector: string) => lineage(`select=${encodeURIComponent(selector)}`);

beforeAll(async () => {
  const catalog = createCatalogService({ watch: false });
  const service = createLineageService({ source: catalogIndexSource(catalog) });
  app = await startTestApp({
    features: [
      createCatalogFeature(catalog),
      createLineageFeature(service),
      createSandboxFeature({ catalog, lineage: service }),
    ],
    prepare: (dir) => {
      withFixtures()(dir);
      cpSync(PLUGIN, path.join(dir, 'plugins', 'bi-exposures'), { recursive: true });
      copyArtifacts('classic', path.join(dir, 'workspaces', 'default', 'target'));
    },
  });
  await approve(app, 'bi-exposures');
  await eventually('the exposures to be drawn', async () =>
    (await select('tag:bi')).body.nodes?.length === 2 ? true : undefined,
  );
}, 60_000);
afterAll(() => app?.close());

describe("a plugin's nodes and edges are part of the workspace's lineage", () => {
  test('drawn as exposures named by the plugin, fed by the models they read', async () => {
    const { body } = await select('+revenue_dashboard');
    const revenue = body.nodes.find((n) => n.id === REVENUE);
    expect(revenue).toMatchObject({
      name: 'revenue_dashboard',
      resourceType: 'exposure',
      package: 'bi-exposures',
      plugin: 'bi-exposures',
      tags: ['bi'],
      description: 'Monthly revenue by customer',
    });
    expect(body.edges).toEqual(
      expect.arrayContaining([
        { source: 'model.jaffle_shop.orders', target: REVENUE },
        { source: 'model.jaffle_shop.customers', target: REVENUE },
      ]),
    );
    // Upstream of the dashboard: the models it reads and what feeds them, never the other dashboard.
    expect(body.nodes.map((n) => n.id)).toEqual(expect.arrayContaining(['model.jaffle_shop.stg_orders']));
    expect(body.nodes.map((n) => n.id)).not.toContain(CHURN);
    expect(body.overlayProblems).toEqual([]);
  });

  test("dbt selectors pick them: a model's downstream reaches the dashboards, tag:bi and package: select them", async () => {
    const downstream = (await select('customers+')).body.nodes.map((n) => n.id);
    expect(downstream).toEqual(expect.arrayContaining([REVENUE, CHURN]));
    expect((await select('package:bi-exposures')).body.nodes.map((n) => n.id).sort()).toEqual([CHURN, REVENUE]);
    const focused = await lineage(`focus=${REVENUE}&up=1&down=0`);
    expect(focused.status).toBe(200);
    expect(focused.body.nodes.map((n) => n.id).sort()).toEqual(
      [REVENUE, 'model.jaffle_shop.customers', 'model.jaffle_shop.orders'].sort(),
    );
  });

  test('the lineage search finds them', async () => {
    expect((await search('churn')).hits).toContainEqual({
      id: CHURN,
      name: 'customer_churn',
      resourceType: 'exposure',
    });
  });

  test('disabled, the plugin leaves nothing in the graph, the selectors or the search', async () => {
    const off = await app.server.inject({
      method: 'POST',
      url: '/api/plugins/bi-exposures/disable',
      headers: { cookie: app.adminCookie },
    });
    expect(off.statusCode).toBe(200);
    await eventually('the exposures to go', async () =>
      (await select('customers+')).body.nodes.every((n) => !n.plugin) ? true : undefined,
    );
    expect((await search('churn')).hits).toEqual([]);
    expect((await lineage(`focus=${REVENUE}`)).status).toBe(404);
  });
});

describe('extendGraph (pure)', () => {
  const base = buildProjectGraph([
    { uniqueId: 'model.p.a', resourceType: 'model', name: 'a', parents: [], children: ['model.p.b'] },
    { uniqueId: 'model.p.b', resourceType: 'model', name: 'b', parents: ['model.p.a'], children: [] },
  ]);

  test("adds a copy: the project's graph is unchanged, the plugin's node namespaced, bad edges counted", () => {
    const { graph, problems } = extendGraph(base, [
      {
        owner: 'bi',
        additions: {
          nodes: [{ id: 'dash', name: 'dash', resourceType: 'exposure', tags: [] }],
          edges: [
            { source: 'model.p.b', target: 'dash' },
            { source: 'model.p.gone', target: 'dash' },
            { source: 'dash', target: 'dash' },
          ],
        },
      },
    ]);
    expect(graph.parents.get('exposure.bi.dash')).toEqual(['model.p.b']);
    expect(graph.children.get('model.p.b')).toEqual(['exposure.bi.dash']);
    expect(base.nodes.has('exposure.bi.dash')).toBe(false);
    expect(base.children.get('model.p.b')).toEqual([]);
    expect(graph.types).toContainEqual({ resourceType: 'exposure', count: 1 });
    expect(problems).toEqual([
      { owner: 'bi', message: '2 of its lineage edges name nodes that are not in the graph; left out' },
    ]);
  });

  test("a plugin's node id can never replace a project node", () => {
    const { graph } = extendGraph(base, [
      { owner: 'p', additions: { nodes: [{ id: 'a', name: 'evil', resourceType: 'model', tags: [] }], edges: [] } },
    ]);
    expect(graph.nodes.get('model.p.a')!.name).toBe('a');
  });
});
