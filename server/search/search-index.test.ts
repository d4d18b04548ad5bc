import path from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import { parseCatalog, parseManifest } from '../catalog/artifacts/parse.ts';
import { buildProjectIndex } from '../catalog/project/build-index.ts';
import type { ProjectIndex } from '../catalog/project/project-index.ts';
import { datasetDir, readJson } from '../catalog/test-data.ts';
import { createCatalogSearchIndex, extensionDocuments, type CatalogSearchIndex } from './search-index.ts';

let index: ProjectIndex;
let search: CatalogSearchIndex;

beforeAll(async () => {
  const dir = datasetDir('classic');
  const manifest = parseManifest(readJson(path.join(dir, 'manifest.json')));
  const catalog = parseCatalog(readJson(path.join(dir, 'catalog.json')));
  if (!manifest.ok || !catalog.ok) throw new Error('test data does not parse');
  index = buildProjectIndex({ workspace: 'shop', manifest: manifest.value, catalog: catalog.value });
  search = await createCatalogSearchIndex(index);
});

const names = (query: string, limit = 10) => search.search(query, limit).hits.map((h) => h.name);

describe('catalog search', () => {
  test('indexes every catalog node once', () => {
    expect(search.size).toBe(index.nodes.size);
  });

  test('finds models by a column name, saying which column matched', () => {
    const hits = search.search('credit_card_amount').hits;
    expect(hits.map((h) => h.uniqueId)).toContain('model.jaffle_shop.orders');
    expect(hits.find((h) => h.uniqueId === 'model.jaffle_shop.orders')).toMatchObject({
      resourceType: 'model',
      matchedField: 'column',
      matchedText: 'credit_card_amount',
    });
  });

  test('finds a model by a typo of its name', () => {
    expect(names('custmers', 3)).toContain('customers');
    expect(names('stg_paymnets', 1)).toEqual(['stg_payments']);
  });

  test('ranks the exact name first, then names starting with the query, then names containing it', () => {
    const ranked = names('orders');
    expect(ranked[0]).toBe('orders');
    const containing = ranked.indexOf('stg_orders');
    expect(containing).toBeGreaterThan(0);
    expect(names('stg_')[0]).toMatch(/^stg_/);
    expect(search.search('orders').hits[0]?.matchedField).toBe('name');
  });

  test('finds by tag, by description words and by column descriptions', () => {
    const tagged = search.search('lightdash').hits;
    expect(tagged.map((h) => h.name).sort()).toEqual(['customers', 'orders']);
    expect(tagged[0]).toMatchObject({ matchedField: 'tags', matchedText: 'lightdash' });
    const described = search.search('derived facts').hits;
    expect(described.map((h) => h.name).sort()).toEqual(['customers', 'orders']);
    expect(described[0]?.matchedField).toBe('description');
    expect(search.search('PII').hits.find((h) => h.name === 'customers')).toMatchObject({
      matchedField: 'columnDescription',
      matchedText: 'first_name',
    });
  });

  test('finds a node by its unique id', () => {
    expect(search.search('model.jaffle_shop.stg_orders').hits[0]?.uniqueId).toBe('model.jaffle_shop.stg_orders');
  });

  test('all words must match; limit cuts the hits but not the total', () => {
    expect(search.search('customer lifetime value').hits.map((h) => h.name)).toEqual(['customers']);
    const limited = search.search('stg', 2);
    expect(limited.hits).toHaveLength(2);
    expect(limited.total).toBeGreaterThan(2);
    expect(search.search('   ').total).toBe(0);
    expect(search.search('zzzzqqqq').total).toBe(0);
  });
});

describe('extension documents', () => {
  test('are checked one by one, carry their owner, and open their node', async () => {
    const { documents, reports } = extensionDocuments(
      [
        {
          owner: 'glossary',
          ok: true,
          ms: 1,
          result: [
            {
              id: 'churn',
              title: 'Churn',
              text: 'Customers who stopped ordering',
              uniqueId: 'model.jaffle_shop.customers',
            },
            { id: 'bad', title: '' },
          ],
        },
        { owner: 'broken', ok: false, error: 'boom', ms: 1 },
      ],
      index,
    );
    expect(reports).toMatchObject([
      {
        owner: 'glossary',
        ok: true,
        applied: 1,
        rejected: ['document 1: title Too small: expected string to have >=1 characters'],
      },
      { owner: 'broken', ok: false, error: 'boom' },
    ]);
    const withExtras = await createCatalogSearchIndex(index, documents);
    expect(withExtras.search('churn').hits[0]).toMatchObject({
      id: 'ext:glossary:churn',
      uniqueId: 'model.jaffle_shop.customers',
      owner: 'glossary',
      name: 'Churn',
    });
  });
});
