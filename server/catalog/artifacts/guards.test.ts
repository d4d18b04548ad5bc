import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { datasetDir, readJson } from '../test-data.ts';
import { looksLikeCatalogTable, looksLikeNode, looksLikeRunResult } from './guards.ts';
import { CatalogTableEntry, ManifestNode, RunResultEntry } from './schemas.ts';

// The fast guards must accept exactly what the zod schemas accept, or parse.ts would let a wrongly typed node
// through (guard too lax) or report a node as broken without naming a problem (guard too strict).

type Doc = { [key: string]: any };

const manifest = readJson(path.join(datasetDir('v15'), 'manifest.json')) as Doc;
const catalog = readJson(path.join(datasetDir('classic'), 'catalog.json')) as Doc;
const runs = readJson(path.join(datasetDir('classic'), 'run_results.json')) as Doc;

const wrongValues: unknown[] = [42, 'text', true, null, [], ['a', 1], {}, { name: 3 }];

/** Every variant of `base` with one field (at `path`) replaced by each wrong value, or removed. */
function* mutations(base: Doc, paths: string[][]): Generator<[string, Doc]> {
  for (const fieldPath of paths) {
    for (const value of [undefined, ...wrongValues]) {
      const copy = structuredClone(base);
      let target = copy;
      for (const key of fieldPath.slice(0, -1)) target = target[key] ??= {};
      const last = fieldPath[fieldPath.length - 1] as string;
      // JSON has no holes in arrays: only object fields can be missing.
      if (value === undefined && Array.isArray(target)) continue;
      if (value === undefined) delete target[last];
      else target[last] = value;
      yield [`${fieldPath.join('.')} = ${JSON.stringify(value)}`, copy];
    }
  }
}

function expectAgreement(
  guard: (v: unknown) => boolean,
  schema: { safeParse(v: unknown): { success: boolean } },
  base: Doc,
  paths: string[][],
) {
  expect(guard(base)).toBe(true);
  for (const [label, value] of mutations(base, paths)) {
    expect({ label, guard: guard(value) }).toEqual({ label, guard: schema.safeParse(value).success });
  }
}

describe('the fast guards agree with the zod schemas', () => {
  test('manifest nodes, field by field', () => {
    const model = manifest.nodes['model.jaffle_shop.dim_customers.v2'];
    const test_ = manifest.nodes['test.jaffle_shop.unique_dim_customers_v2_customer_id.f52bb79f08'];
    const exposure = Object.values(manifest.exposures)[0] as Doc;
    const fields = Object.keys(ManifestNode.shape).map((key) => [key]);
    const nested = [
      ['config', 'materialized'],
      ['config', 'tags'],
      ['config', 'meta'],
      ['config', 'group'],
      ['config', 'access'],
      ['config', 'severity'],
      ['columns', 'customer_id', 'name'],
      ['columns', 'customer_id', 'description'],
      ['columns', 'customer_id', 'data_type'],
      ['columns', 'customer_id', 'meta'],
      ['columns', 'customer_id', 'tags'],
      ['columns', 'customer_id'],
      ['depends_on', 'nodes'],
      ['test_metadata', 'name'],
      ['test_metadata', 'kwargs'],
      ['owner', 'name'],
      ['owner', 'email'],
    ];
    expectAgreement(looksLikeNode, ManifestNode, model, [...fields, ...nested]);
    expectAgreement(looksLikeNode, ManifestNode, test_, [...fields, ['test_metadata', 'name']]);
    expectAgreement(looksLikeNode, ManifestNode, exposure, [['owner', 'name'], ['owner', 'email'], ['owner']]);
  });

  test('every node of the dbt 1.5 manifest passes both', () => {
    for (const node of [...Object.values(manifest.nodes), ...Object.values(manifest.sources)]) {
      expect(looksLikeNode(node)).toBe(true);
      expect(ManifestNode.safeParse(node).success).toBe(true);
    }
  });

  test('catalog tables', () => {
    const table = catalog.nodes['model.jaffle_shop.customers'];
    expectAgreement(looksLikeCatalogTable, CatalogTableEntry, table, [
      ['metadata'],
      ['metadata', 'type'],
      ['metadata', 'schema'],
      ['metadata', 'name'],
      ['metadata', 'database'],
      ['metadata', 'comment'],
      ['columns'],
      ['columns', 'customer_id'],
      ['columns', 'customer_id', 'type'],
      ['columns', 'customer_id', 'index'],
      ['columns', 'customer_id', 'name'],
      ['columns', 'customer_id', 'comment'],
      ['unique_id'],
    ]);
  });

  test('run results', () => {
    expectAgreement(looksLikeRunResult, RunResultEntry, runs.results[5], [
      ['status'],
      ['unique_id'],
      ['timing'],
      ['timing', '0'],
      ['timing', '0', 'name'],
      ['timing', '0', 'started_at'],
      ['timing', '0', 'completed_at'],
      ['execution_time'],
      ['message'],
      ['failures'],
    ]);
  });
});
