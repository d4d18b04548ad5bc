import path from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import { parseCatalog, parseManifest, parseRunResults } from '../artifacts/parse.ts';
import { datasetDir, readJson } from '../test-data.ts';
import { buildProjectIndex, testStatusOf } from './build-index.ts';
import type { ProjectIndex } from './project-index.ts';

type Doc = { [key: string]: any };

function parsed<T>(result: { ok: true; value: T } | { ok: false; message: string }): T {
  if (!result.ok) throw new Error(result.message);
  return result.value;
}

function load(
  name: 'classic' | 'v15' | 'v112',
  edit: { manifest?: (m: Doc) => void; catalog?: boolean; runResults?: (r: Doc) => void } = {},
): ProjectIndex {
  const dir = datasetDir(name);
  const manifest = readJson(path.join(dir, 'manifest.json')) as Doc;
  edit.manifest?.(manifest);
  const runs = name === 'v15' ? null : (readJson(path.join(dir, 'run_results.json')) as Doc);
  if (runs) edit.runResults?.(runs);
  return buildProjectIndex({
    workspace: 'w',
    manifest: parsed(parseManifest(manifest)),
    catalog: edit.catalog === false ? null : parsed(parseCatalog(readJson(path.join(dir, 'catalog.json')))),
    runResults: runs ? parsed(parseRunResults(runs)) : null,
  });
}

describe('the index of jaffle_shop classic (dbt 1.9)', () => {
  let index: ProjectIndex;
  beforeAll(() => {
    index = load('classic');
  });

  test('holds models, seeds and no tests or operations as nodes', () => {
    const types = new Set(index.list.map((n) => n.resourceType));
    expect([...types].sort()).toEqual(['model', 'seed']);
    expect(index.nodes.has('operation.elementary.elementary-on-run-start-0')).toBe(false);
    expect(index.tests.size).toBe(20);
  });

  test('customers: columns in catalog order, types from catalog.json, descriptions from the manifest', () => {
    const customers = index.nodes.get('model.jaffle_shop.customers');
    expect(customers?.columns.map((c) => [c.name, c.type])).toEqual([
      ['customer_id', 'INT64'],
      ['first_name', 'STRING'],
      ['last_name', 'STRING'],
      ['first_order', 'DATE'],
      ['most_recent_order', 'DATE'],
      ['number_of_orders', 'INT64'],
      ['customer_lifetime_value', 'FLOAT64'],
    ]);
    expect(customers?.columns[0]?.description).toBe('This is a unique identifier for a customer');
    expect(customers).toMatchObject({
      materialization: 'table',
      tags: ['lightdash'],
      relation: '`your-project`.`jaffle_shop`.`customers`',
      tableType: 'table',
      access: 'protected',
      path: 'models/customers.sql',
      packageName: 'jaffle_shop',
    });
    expect(customers?.rawSql).toContain("ref('stg_customers')");
    expect(customers?.compiledSql).toContain('`your-project`.`jaffle_shop`.`stg_customers`');
  });

  test('orders keeps the warehouse column order, which differs from the documented one', () => {
    const orders = index.nodes.get('model.jaffle_shop.orders');
    expect(orders?.columns.map((c) => c.name).slice(-2)).toEqual(['gift_card_amount', 'amount']);
    expect(orders?.columns.map((c) => c.index)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });

  test('tests hang on their node and column with their last status', () => {
    const customers = index.nodes.get('model.jaffle_shop.customers');
    expect(customers?.tests.map((t) => [t.testName, t.columnName, t.status]).sort()).toEqual([
      ['not_null', 'customer_id', 'pass'],
      ['unique', 'customer_id', 'pass'],
    ]);
    expect(customers?.columns[0]?.tests.map((t) => `${t.testName}:${t.status}`).sort()).toEqual([
      'not_null:pass',
      'unique:pass',
    ]);
    expect(customers?.columns[1]?.tests).toEqual([]);

    const orders = index.nodes.get('model.jaffle_shop.orders');
    const relationships = orders?.tests.find((t) => t.testName === 'relationships');
    // attached_node: the relationship test reads customers too, but it tests orders.customer_id.
    expect(relationships).toMatchObject({ kind: 'generic', columnName: 'customer_id', status: 'pass' });
    expect(relationships?.attachedTo).toEqual(['model.jaffle_shop.orders']);
    expect(relationships?.lastRun?.completedAt).toMatch(/^2024-12-16T/);
    expect(index.nodes.get('model.jaffle_shop.customers')?.tests.some((t) => t.testName === 'relationships')).toBe(
      false,
    );
  });

  test('last run status, times and message come from run_results.json', () => {
    const customers = index.nodes.get('model.jaffle_shop.customers');
    expect(customers?.lastRun).toMatchObject({
      status: 'success',
      message: 'CREATE TABLE (100.0 rows, 6.0 KiB processed)',
      startedAt: '2024-12-16T07:45:13.837009Z',
    });
    expect(index.run?.generatedAt).toBe('2024-12-16T07:45:32.505887Z');
  });

  test('parents and children come from parent_map/child_map, without tests', () => {
    const customers = index.nodes.get('model.jaffle_shop.customers');
    expect([...(customers?.parents ?? [])].sort()).toEqual([
      'model.jaffle_shop.stg_customers',
      'model.jaffle_shop.stg_orders',
      'model.jaffle_shop.stg_payments',
    ]);
    expect(index.nodes.get('model.jaffle_shop.stg_customers')?.children).toEqual(['model.jaffle_shop.customers']);
    // The full maps keep the tests for whoever draws them.
    expect(index.childMap.get('model.jaffle_shop.stg_customers')).toHaveLength(3);
  });

  test('a model missing from catalog.json has no warehouse table type, and keeps its manifest facts', () => {
    const daily = index.nodes.get('model.jaffle_shop.daily_orders');
    expect(daily?.tableType).toBeNull();
    expect(daily?.materialization).toBe('incremental');
  });

  test('everything is frozen', () => {
    const customers = index.nodes.get('model.jaffle_shop.customers');
    expect(Object.isFrozen(customers)).toBe(true);
    expect(Object.isFrozen(customers?.columns[0])).toBe(true);
    expect(Object.isFrozen(customers?.tests)).toBe(true);
  });
});

describe('other manifests', () => {
  test('without catalog.json columns come in manifest order with no type', () => {
    const index = load('classic', { catalog: false });
    const orders = index.nodes.get('model.jaffle_shop.orders');
    expect(orders?.columns.map((c) => c.name).slice(4, 5)).toEqual(['amount']);
    expect(orders?.columns.every((c) => c.type === null && c.index === null)).toBe(true);
  });

  test('without parent_map the edges come from depends_on', () => {
    const index = load('classic', {
      manifest: (m) => {
        delete m.parent_map;
        delete m.child_map;
      },
    });
    expect([...(index.nodes.get('model.jaffle_shop.customers')?.parents ?? [])].sort()).toEqual([
      'model.jaffle_shop.stg_customers',
      'model.jaffle_shop.stg_orders',
      'model.jaffle_shop.stg_payments',
    ]);
    expect([...(index.nodes.get('model.jaffle_shop.stg_orders')?.children ?? [])].sort()).toEqual([
      'model.jaffle_shop.customers',
      'model.jaffle_shop.orders',
    ]);
  });

  test('a failing test shows as fail on its node and column', () => {
    const index = load('classic', {
      runResults: (r) => {
        const result = r.results.find((x: Doc) =>
          x.unique_id.startsWith('test.jaffle_shop.unique_customers_customer_id'),
        );
        result.status = 'fail';
        result.failures = 3;
      },
    });
    const column = index.nodes.get('model.jaffle_shop.customers')?.columns[0];
    expect(column?.tests.find((t) => t.testName === 'unique')?.status).toBe('fail');
  });

  test('dbt 1.5 (v9): versions, group owners, access, exposures with owners, singular tests', () => {
    const index = load('v15');
    expect(index.nodes.get('model.jaffle_shop.dim_customers.v2')).toMatchObject({
      name: 'dim_customers',
      version: '2',
      group: 'jaffle',
      owner: 'Chef Jaffle',
    });
    expect(index.nodes.get('exposure.jaffle_shop.crm_export')).toMatchObject({
      resourceType: 'exposure',
      owner: 'Alice Analyst',
    });
    expect([...(index.nodes.get('exposure.jaffle_shop.crm_export')?.parents ?? [])].sort()).toEqual([
      'model.jaffle_shop.dim_customers.v2',
      'model.jaffle_shop.fct_orders',
    ]);
    expect(index.nodes.get('analysis.jaffle_shop.my_analysis')?.resourceType).toBe('analysis');
    const singular = index.tests.get('test.jaffle_shop.example_data_test');
    expect(singular).toMatchObject({
      kind: 'singular',
      attachedTo: ['model.jaffle_shop.stg_orders'],
      status: 'not-run',
    });
    expect(index.nodes.get('source.jaffle_shop.payments.orders')).toMatchObject({
      resourceType: 'source',
      sourceName: 'payments',
      relation: 'analytics.dbt_jcohen.raw_orders',
    });
  });

  test('dbt 1.12: unit tests attach to their model; metrics and semantic models are nodes', () => {
    const index = load('v112');
    const unit = index.tests.get('unit_test.jaffle_shop.orders.test_order_items_compute_to_bools_correctly');
    expect(unit).toMatchObject({ kind: 'unit', attachedTo: ['model.jaffle_shop.orders'] });
    expect(index.nodes.get('model.jaffle_shop.orders')?.tests.some((t) => t.kind === 'unit')).toBe(true);
    expect(index.nodes.get('metric.jaffle_shop.customers')?.parents).toEqual(['semantic_model.jaffle_shop.customers']);
  });
});

test('dbt result statuses map onto test statuses', () => {
  expect(['pass', 'fail', 'warn', 'error', 'skipped', 'runtime error', 'success', undefined].map(testStatusOf)).toEqual(
    ['pass', 'fail', 'warn', 'error', 'skipped', 'error', 'pass', 'not-run'],
  );
});
