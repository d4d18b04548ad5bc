import { cpSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { ModelList, NodeDetail } from '@dbt-workbench/plugin-sdk/contracts/catalog.schema';
import type { LineageGraph } from '@dbt-workbench/plugin-sdk/contracts/lineage.schema';
import type { Run } from '@dbt-workbench/plugin-sdk/contracts/runs.schema';
import { createCatalogFeature } from '../catalog/feature.ts';
import { createCatalogService } from '../catalog/service.ts';
import { catalogIndexSource } from '../lineage/catalog-source.ts';
import { createLineageFeature } from '../lineage/feature.ts';
import { createLineageService } from '../lineage/service.ts';
import { runsFeature } from '../runs/feature.ts';
import { createRunService } from '../runs/service.ts';
import { waitFor } from '../runs/testing.ts';
import { createSqlFeature } from '../sql/feature.ts';
import { createSqlService } from '../sql/service.ts';
import { startTestApp, type TestApp } from '../testing/test-app.ts';
import { createSandboxFeature } from './feature.ts';
import { approve, callExt, diagnosticsOf, eventually, withFixtures } from './testing.ts';

// The typed data API of plugin backends (`host.data`, `host.sql`, `host.config.get({ workspace })`) in a server
// with the real catalog, lineage, runs and SQL services, over two copies of the demo project:
//   model-health (plugins/) reads both workspaces through it and must see what the HTTP API shows;
//   data-peeker (hostile, read-metadata only, enabled in alpha only) tries every call on both workspaces.

const DEMO = path.resolve(import.meta.dirname, '../../demo/workspaces/jaffle-shop-classic');
const HEALTH = path.resolve(import.meta.dirname, '../../plugins/model-health');
const CUSTOMERS = 'model.jaffle_shop.customers';

let app: TestApp;

const get = async <T>(url: string): Promise<T> =>
  (await app.server.inject({ url, headers: { cookie: app.adminCookie } })).json() as T;
const ext = async (url: string, workspace = 'alpha') => {
  const response = await callExt(app, url, { workspace });
  return { status: response.statusCode, body: response.json() };
};
const peek = async (fn: string, workspace: string) =>
  (await ext(`/api/ext/data-peeker/try?fn=${fn}&workspace=${workspace}`)).body as {
    ok: boolean;
    value?: unknown;
    code?: string;
    message?: string;
  };

beforeAll(async () => {
  const catalog = createCatalogService({ watch: false });
  const lineage = createLineageService({ source: catalogIndexSource(catalog) });
  const runs = createRunService({ graceMs: 200 });
  const sql = createSqlService();
  app = await startTestApp({
    workspaces: [
      { name: 'alpha', runCommand: ['/bin/true'] },
      { name: 'beta', runCommand: ['/bin/true'] },
    ],
    features: [
      createCatalogFeature(catalog),
      createLineageFeature(lineage),
      runsFeature(runs),
      createSqlFeature(sql),
      createSandboxFeature({ catalog, lineage, runs, sql }),
    ],
    prepare: (dir) => {
      withFixtures('data-peeker')(dir);
      cpSync(HEALTH, path.join(dir, 'plugins', 'model-health'), { recursive: true });
      for (const w of ['alpha', 'beta']) cpSync(DEMO, path.join(dir, 'workspaces', w), { recursive: true });
    },
  });
  await approve(app, 'model-health');
  await approve(app, 'data-peeker');
  const off = await app.server.inject({
    method: 'PUT',
    url: '/api/plugins/data-peeker/workspaces/beta',
    headers: { cookie: app.adminCookie },
    payload: { enabled: false },
  });
  expect(off.statusCode).toBe(200);
  const started = await app.server.inject({
    method: 'POST',
    url: '/api/workspaces/alpha/runs',
    headers: { cookie: app.adminCookie },
  });
  expect(started.statusCode).toBe(201);
  const runId = (started.json() as Run).id;
  await waitFor(async () => (await get<Run>(`/api/workspaces/alpha/runs/${runId}`)).finishedAt !== null);
  await eventually('both backends to serve', async () =>
    (await ext('/api/ext/model-health/summary')).status === 200 && (await peek('models', 'alpha')).ok === true
      ? true
      : undefined,
  );
}, 60_000);
afterAll(() => app?.close());

describe('a backend with read-metadata reads the catalog, lineage and runs through host.data', () => {
  test('its workspace summary counts what the HTTP API lists, and the runs it has', async () => {
    const models = await get<ModelList>('/api/workspaces/alpha/models');
    const sources = await get<ModelList>('/api/workspaces/alpha/models?resourceType=source');
    const summary = await ext('/api/ext/model-health/summary');
    expect(summary.status).toBe(200);
    expect(models.total).toBeGreaterThan(0);
    expect(summary.body).toMatchObject({
      workspace: 'alpha',
      models: models.total,
      sources: sources.total,
      maxFailing: 0,
      recentRuns: ['success'],
    });
    const failing = models.items
      .filter((m) => ['error', 'fail'].includes(m.lastRun?.status ?? '') || m.tests.fail + m.tests.error > 0)
      .map((m) => m.name);
    expect(summary.body.failing).toEqual(failing);
    // beta has no run: each workspace's answer is its own.
    expect((await ext('/api/ext/model-health/summary', 'beta')).body.recentRuns).toEqual([]);
  });

  test("a model's columns, tests and neighbours are the node and lineage the API serves", async () => {
    const node = await get<NodeDetail>(`/api/workspaces/alpha/nodes/${CUSTOMERS}`);
    const graph = await get<LineageGraph>(`/api/workspaces/alpha/lineage?focus=${CUSTOMERS}&up=2&down=2`);
    const health = await ext(`/api/ext/model-health/models/${CUSTOMERS}`);
    expect(health.status).toBe(200);
    expect(health.body).toEqual({
      uniqueId: CUSTOMERS,
      name: 'customers',
      undocumentedColumns: node.columns.filter((c) => c.description.trim() === '').map((c) => c.name),
      failingTests: node.tests.filter((t) => t.status === 'fail' || t.status === 'error').map((t) => t.name),
      upstream: node.upstream.map((n) => n.name),
      downstream: node.downstream.map((n) => n.name),
      lineage: { nodes: graph.nodes.length, edges: graph.edges.length },
    });
    expect(health.body.upstream.length).toBeGreaterThan(0);
    const missing = await ext('/api/ext/model-health/models/model.jaffle_shop.nope');
    expect(missing.status).toBe(404);
    expect(missing.body.error.message).toContain('model.jaffle_shop.nope');
  });

  test('with access-sql-workspace it counts the seed rows in the read-only DuckDB', async () => {
    const seeds = await ext('/api/ext/model-health/seeds');
    expect(seeds.status).toBe(200);
    const lines = (file: string) =>
      readFileSync(path.join(DEMO, 'seeds', file), 'utf8')
        .trim()
        .split('\n').length - 1;
    expect(seeds.body.seeds).toEqual([
      { table: 'raw_customers', rows: lines('raw_customers.csv') },
      { table: 'raw_orders', rows: lines('raw_orders.csv') },
      { table: 'raw_payments', rows: lines('raw_payments.csv') },
    ]);
  });

  test("host.config.get({ workspace }) is that workspace's configuration, live after an admin's change", async () => {
    const put = await app.server.inject({
      method: 'PUT',
      url: '/api/plugins/model-health/config/workspaces/beta',
      headers: { cookie: app.adminCookie },
      payload: { config: { maxFailing: 7 } },
    });
    expect(put.statusCode, put.body).toBe(200);
    expect((await ext('/api/ext/model-health/summary', 'beta')).body.maxFailing).toBe(7);
    expect((await ext('/api/ext/model-health/summary', 'alpha')).body.maxFailing).toBe(0);
  });
});

describe('a backend gets nothing outside its capabilities and its workspaces', () => {
  test('enabled in alpha only, its reads of beta are refused, and recorded in its diagnostics', async () => {
    for (const fn of ['models', 'node', 'lineage', 'runs']) {
      expect((await peek(fn, 'alpha')).ok, fn).toBe(true);
      const beta = await peek(fn, 'beta');
      expect(beta, fn).toMatchObject({ ok: false, code: 'ERR_CAPABILITY' });
      expect(beta.message).toBe('data-peeker may not read workspace "beta": the plugin is not enabled there');
    }
    const config = await peek('config', 'beta');
    expect(config).toMatchObject({ ok: false, code: 'ERR_CAPABILITY' });
    expect(config.message).toContain('not enabled there');
    expect(await peek('models', 'nowhere')).toMatchObject({ ok: false, code: 'ERR_CAPABILITY' });
    const { rejectedActions } = await diagnosticsOf(app, 'data-peeker');
    expect(rejectedActions.map((r) => r.action)).toEqual(
      expect.arrayContaining(['data.models beta', 'data.node beta', 'data.lineage beta', 'config.get beta']),
    );
  });

  test('without access-sql-workspace its SQL is refused naming the capability, in every workspace', async () => {
    for (const fn of ['sql', 'tables']) {
      const refused = await peek(fn, 'alpha');
      expect(refused).toMatchObject({ ok: false, code: 'ERR_CAPABILITY' });
      expect(refused.message).toContain('it needs the access-sql-workspace capability, which is not approved');
    }
    const { rejectedActions } = await diagnosticsOf(app, 'data-peeker');
    expect(rejectedActions).toContainEqual(
      expect.objectContaining({ action: 'sql.query alpha', capability: 'access-sql-workspace' }),
    );
  });
});
