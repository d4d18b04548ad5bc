import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type {
  CatalogStatus,
  CatalogSummary,
  ModelList,
  NodeDetail,
  SearchResponse,
} from '@dbt-workbench/plugin-sdk/contracts/catalog.schema';
import { startTestApp, type TestApp } from '../testing/test-app.ts';
import { createCatalogFeature } from './feature.ts';
import { createCatalogService } from './service.ts';
import { copyArtifacts } from './test-data.ts';

let app: TestApp;
let viewer: string;
let outsider: string;

beforeAll(async () => {
  app = await startTestApp({
    workspaces: [{ name: 'shop' }, { name: 'empty' }],
    features: [createCatalogFeature(createCatalogService({ watch: false }))],
    prepare: (dir) => {
      const target = path.join(dir, 'workspaces/shop/target');
      copyArtifacts('classic', target);
      // One model errored and one test failed in the last run.
      const file = path.join(target, 'run_results.json');
      const runs = JSON.parse(readFileSync(file, 'utf8')) as { results: { unique_id: string; status: string }[] };
      for (const result of runs.results) {
        if (result.unique_id === 'model.jaffle_shop.stg_orders') result.status = 'error';
        if (result.unique_id.startsWith('test.jaffle_shop.unique_customers_customer_id')) result.status = 'fail';
      }
      writeFileSync(file, JSON.stringify(runs));
    },
  });
  viewer = await app.userWithRoles('vera', { shop: 'viewer', empty: 'viewer' });
  outsider = await app.userWithRoles('otto', { empty: 'viewer' });
});

afterAll(async () => {
  await app.close();
});

async function get<T>(url: string, cookie: string | null = viewer): Promise<{ status: number; body: T }> {
  const response = await app.server.inject({ url, headers: cookie ? { cookie } : {} });
  return { status: response.statusCode, body: response.json() as T };
}

const node = (id: string) => `/api/workspaces/shop/nodes/${encodeURIComponent(id)}`;

describe('access', () => {
  test('a viewer reads every catalog route', async () => {
    for (const url of [
      '/api/workspaces/shop/catalog/status',
      '/api/workspaces/shop/catalog/summary',
      '/api/workspaces/shop/models',
      node('model.jaffle_shop.customers'),
      '/api/workspaces/shop/search?q=orders',
    ]) {
      expect({ url, status: (await get(url)).status }).toEqual({ url, status: 200 });
    }
  });

  test('a user outside the workspace gets 404, as for a workspace that does not exist', async () => {
    const response = await get<{ error: { code: string } }>('/api/workspaces/shop/models', outsider);
    expect(response.status).toBe(404);
    expect(response.body.error.code).toBe('workspace_not_found');
    expect((await get('/api/workspaces/shop/search?q=orders', outsider)).status).toBe(404);
    expect((await get('/api/workspaces/nowhere/catalog/status')).status).toBe(404);
  });

  test('without a session every route is 401', async () => {
    expect((await get('/api/workspaces/shop/catalog/status', null)).status).toBe(401);
    expect((await get(node('model.jaffle_shop.customers'), null)).status).toBe(401);
  });
});

describe('status and summary', () => {
  test('status gives versions and counts; a workspace without artifacts says what is missing', async () => {
    const { body } = await get<CatalogStatus>('/api/workspaces/shop/catalog/status');
    expect(body).toMatchObject({ state: 'ready', errors: [], counts: { nodes: 39, tests: 20 } });
    expect(body.artifacts.manifest?.schemaVersion).toBe('v12');
    const empty = await get<CatalogStatus>('/api/workspaces/empty/catalog/status');
    expect(empty.body).toMatchObject({ state: 'missing', loadedAt: null });
    expect(empty.body.message).toContain('No manifest.json');
  });

  test('summary counts resource types and test statuses', async () => {
    const { body } = await get<CatalogSummary>('/api/workspaces/shop/catalog/summary');
    expect(body.counts).toEqual({ model: 36, seed: 3, test: 20 });
    expect(body.tests).toEqual({ total: 20, pass: 19, fail: 1, warn: 0, error: 0, skipped: 0, notRun: 0 });
    expect(body.runs).toEqual({ success: 38, error: 1 });
    expect(body.lastRunAt).toBe('2024-12-16T07:45:32.505887Z');
  });
});

describe('models', () => {
  test('lists models by name with tests and last run', async () => {
    const { body } = await get<ModelList>('/api/workspaces/shop/models');
    expect(body.total).toBe(36);
    expect(body.items.every((m) => m.resourceType === 'model')).toBe(true);
    const customers = body.items.find((m) => m.uniqueId === 'model.jaffle_shop.customers');
    expect(customers).toMatchObject({
      materialization: 'table',
      schema: 'jaffle_shop',
      tags: ['lightdash'],
      columnCount: 7,
      tests: { total: 2, pass: 1, fail: 1 },
      lastRun: { status: 'success' },
    });
    expect(body.facets.materializations).toEqual(['incremental', 'table', 'view']);
  });

  test('filters by text, tag, materialization and status', async () => {
    const byTag = await get<ModelList>('/api/workspaces/shop/models?tag=lightdash');
    expect(byTag.body.items.map((m) => m.name)).toEqual(['customers', 'orders']);
    const views = await get<ModelList>('/api/workspaces/shop/models?materialization=view&q=stg_');
    expect(views.body.items.map((m) => m.name)).toEqual(['stg_customers', 'stg_orders', 'stg_payments']);
    const failed = await get<ModelList>('/api/workspaces/shop/models?status=error');
    expect(failed.body.items.map((m) => m.name)).toEqual(['stg_orders']);
    expect((await get<ModelList>('/api/workspaces/shop/models?status=not-run')).body.total).toBe(0);
  });

  test('resourceType lists seeds (or several types); an unknown type is a 400 naming it', async () => {
    const seeds = await get<ModelList>('/api/workspaces/shop/models?resourceType=seed');
    expect(seeds.body.items.map((m) => m.name)).toEqual(['raw_customers', 'raw_orders', 'raw_payments']);
    const both = await get<ModelList>('/api/workspaces/shop/models?resourceType=seed,model');
    expect(both.body.total).toBe(39);
    const bad = await get<{ error: { message: string } }>('/api/workspaces/shop/models?resourceType=tables');
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toContain('"tables"');
  });
});

describe('node detail', () => {
  test('gives columns with types and tests, SQL and neighbours', async () => {
    const { status, body } = await get<NodeDetail>(node('model.jaffle_shop.customers'));
    expect(status).toBe(200);
    expect(body.columns[0]).toMatchObject({ name: 'customer_id', type: 'INT64' });
    expect(body.columns[0]?.tests.map((t) => `${t.testName}:${t.status}`).sort()).toEqual([
      'not_null:pass',
      'unique:fail',
    ]);
    expect(body.compiledSql).toContain('select');
    expect(body.upstream.map((n) => n.name).sort()).toEqual(['stg_customers', 'stg_orders', 'stg_payments']);
    expect(body.upstream.find((n) => n.name === 'stg_orders')).toMatchObject({
      resourceType: 'model',
      lastRunStatus: 'error',
    });
    expect(body.downstream).toEqual([]);
  });

  test('an unknown node is a 404 naming it', async () => {
    const { status, body } = await get<{ error: { code: string; message: string } }>(node('model.jaffle_shop.nope'));
    expect(status).toBe(404);
    expect(body.error).toMatchObject({ code: 'not_found' });
    expect(body.error.message).toContain('model.jaffle_shop.nope');
  });
});

describe('search', () => {
  test('answers hits with type, field and time taken', async () => {
    const { body } = await get<SearchResponse>('/api/workspaces/shop/search?q=gift_card_amount&limit=5');
    expect(body.query).toBe('gift_card_amount');
    expect(body.hits.length).toBeGreaterThan(0);
    expect(body.hits.length).toBeLessThanOrEqual(5);
    expect(body.hits.find((h) => h.uniqueId === 'model.jaffle_shop.orders')).toMatchObject({
      resourceType: 'model',
      matchedField: 'column',
      matchedText: 'gift_card_amount',
    });
    expect(typeof body.tookMs).toBe('number');
  });

  test('a bad limit is a 400 naming the parameter', async () => {
    const { status, body } = await get<{ error: { message: string } }>('/api/workspaces/shop/search?q=x&limit=0');
    expect(status).toBe(400);
    expect(body.error.message).toContain('limit');
  });
});
