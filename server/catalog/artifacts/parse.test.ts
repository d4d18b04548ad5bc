import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { artifactFilesNamed, datasetDir, readJson } from '../test-data.ts';
import { parseCatalog, parseJsonText, parseManifest, parseRunResults } from './parse.ts';

type Doc = { [key: string]: any };

const classicManifest = () => readJson(path.join(datasetDir('classic'), 'manifest.json')) as Doc;

describe('every artifact in the fixtures parses', () => {
  const manifests = artifactFilesNamed('manifest.json');
  const catalogs = artifactFilesNamed('catalog.json');
  const runResults = artifactFilesNamed('run_results.json');

  test('the fixtures hold the expected files', () => {
    expect(manifests).toHaveLength(4);
    expect(catalogs).toHaveLength(4);
    expect(runResults).toHaveLength(4);
  });

  test.each(manifests)('%s', (file) => {
    const json = readJson(file) as Doc;
    const result = parseManifest(json);
    if (!result.ok) throw new Error(result.message);
    const entries = [
      'nodes',
      'sources',
      'exposures',
      'metrics',
      'semantic_models',
      'saved_queries',
      'unit_tests',
      'functions',
    ];
    const expected = entries.reduce((n, key) => n + Object.keys(json[key] ?? {}).length, 0);
    expect(result.value.nodes).toHaveLength(expected);
    expect(result.value.schemaVersion).toMatch(/^v(9|12)$/);
    expect(result.value.warnings).toEqual([]);
  });

  test('the dbt 1.5 manifest is schema v9', () => {
    const result = parseManifest(readJson(path.join(datasetDir('v15'), 'manifest.json')));
    expect(result.ok && result.value.schemaVersion).toBe('v9');
    expect(result.ok && result.value.dbtVersion).toBe('1.5.0b5');
  });

  test.each(catalogs)('%s', (file) => {
    const json = readJson(file) as Doc;
    const result = parseCatalog(json);
    if (!result.ok) throw new Error(result.message);
    expect(result.value.tables.size).toBe(Object.keys(json.nodes).length + Object.keys(json.sources).length);
  });

  test.each(runResults)('%s', (file) => {
    const json = readJson(file) as Doc;
    const result = parseRunResults(json);
    if (!result.ok) throw new Error(result.message);
    expect(result.value.results.size).toBe(new Set(json.results.map((r: Doc) => r.unique_id)).size);
    expect(result.value.schemaVersion).toBe('v6');
  });
});

describe('what is wrong is named with file, path and rule', () => {
  test('a JSON syntax error gives the line and column', () => {
    const result = parseJsonText('manifest.json', '{\n  "metadata": {\n    "x": 1,,\n  }\n}');
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.message).toMatch(/^manifest\.json is not valid JSON: .*line 3, column \d+/);
    expect(result.problems[0]).toMatchObject({ field: '(document)', rule: 'json' });
  });

  test('an empty file says so', () => {
    const result = parseJsonText('catalog.json', '  ');
    expect(!result.ok && result.message).toBe('catalog.json is empty (was it still being written?)');
  });

  test('a node without a name names the node and the field', () => {
    const json = classicManifest();
    delete json.nodes['model.jaffle_shop.customers'].name;
    const result = parseManifest(json);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problems).toContainEqual({
      field: 'nodes["model.jaffle_shop.customers"].name',
      rule: 'required',
      message: 'nodes["model.jaffle_shop.customers"].name: is required',
    });
    expect(result.message).toContain('manifest.json does not have the expected structure');
  });

  test('a column of the wrong type names its path and the expected type', () => {
    const json = classicManifest();
    json.nodes['model.jaffle_shop.orders'].columns.amount.description = 42;
    const result = parseManifest(json);
    expect(!result.ok && result.problems[0]).toMatchObject({
      field: 'nodes["model.jaffle_shop.orders"].columns.amount.description',
      rule: 'type string',
    });
  });

  test('many broken nodes are counted, and at most 20 problems listed', () => {
    const json = classicManifest();
    for (const node of Object.values(json.nodes) as Doc[]) node.resource_type = 7;
    const result = parseManifest(json);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problems.length).toBe(20);
    expect(result.message).toContain(`(${Object.keys(json.nodes).length} entries are wrong)`);
  });

  test('a manifest older than v9 is refused; one newer than v12 loads with a warning', () => {
    const old = classicManifest();
    old.metadata.dbt_schema_version = 'https://schemas.getdbt.com/dbt/manifest/v7.json';
    const refused = parseManifest(old);
    expect(!refused.ok && refused.problems[0]).toMatchObject({ field: 'metadata.dbt_schema_version', rule: 'version' });
    expect(!refused.ok && refused.message).toContain('older than supported (v9 to v12)');

    const newer = classicManifest();
    newer.metadata.dbt_schema_version = 'https://schemas.getdbt.com/dbt/manifest/v13.json';
    const loaded = parseManifest(newer);
    expect(loaded.ok && loaded.value.warnings).toEqual([
      'manifest.json schema v13 is newer than this server knows (v12); read as v12',
    ]);
  });

  test('a catalog.json given as the manifest is recognised as the wrong file', () => {
    const result = parseManifest(readJson(path.join(datasetDir('classic'), 'catalog.json')));
    expect(result.ok).toBe(false);
    expect(!result.ok && result.message).toMatch(/manifest\.json does not have the expected structure/);
  });

  test('run_results without results, and a catalog column without a type', () => {
    const runs = readJson(path.join(datasetDir('classic'), 'run_results.json')) as Doc;
    delete runs.results;
    const noResults = parseRunResults(runs);
    expect(!noResults.ok && noResults.problems[0]).toMatchObject({ field: 'results', rule: 'required' });

    const catalog = readJson(path.join(datasetDir('classic'), 'catalog.json')) as Doc;
    catalog.nodes['model.jaffle_shop.customers'].columns.customer_id.type = null;
    const badColumn = parseCatalog(catalog);
    expect(!badColumn.ok && badColumn.problems[0]).toMatchObject({
      field: 'nodes["model.jaffle_shop.customers"].columns.customer_id.type',
      rule: 'type string',
    });
  });

  test('a parent_map entry that is not a list of ids is named', () => {
    const json = classicManifest();
    json.parent_map['model.jaffle_shop.orders'] = 'model.jaffle_shop.stg_orders';
    const result = parseManifest(json);
    expect(!result.ok && result.problems[0]?.field).toBe('parent_map["model.jaffle_shop.orders"]');
  });
});

test('a section that is not an object of entries is named with its rule', () => {
  const json = classicManifest();
  json.nodes = [];
  const result = parseManifest(json);
  expect(!result.ok && result.problems[0]).toMatchObject({ field: 'nodes', rule: 'type object' });
  delete json.nodes;
  const missing = parseManifest(json);
  expect(!missing.ok && missing.problems[0]).toMatchObject({ field: 'nodes', rule: 'required' });
});
