import { mkdtempSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import { createArtifactStore, type ArtifactStore, type ArtifactStoreOptions } from './artifact-store.ts';
import { createCatalogHooks, type CatalogHooks } from './hooks.ts';
import { copyArtifacts } from './test-data.ts';

type Doc = { [key: string]: any };

let dir: string;
let targetDir: string;
let store: ArtifactStore | undefined;
let hooks: CatalogHooks;

beforeEach(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'wb-catalog-'));
  targetDir = path.join(dir, 'target');
  hooks = createCatalogHooks();
});

afterEach(async () => {
  await store?.close();
  store = undefined;
  rmSync(dir, { recursive: true, force: true });
});

async function start(options: Partial<ArtifactStoreOptions> = {}): Promise<ArtifactStore> {
  store = createArtifactStore({ workspace: { name: 'shop', targetDir }, hooks, watch: false, ...options });
  await store.start();
  return store;
}

function editJson(file: string, edit: (doc: Doc) => void): void {
  const full = path.join(targetDir, file);
  const doc = JSON.parse(readFileSync(full, 'utf8')) as Doc;
  edit(doc);
  writeFileSync(full, JSON.stringify(doc));
}

const CUSTOMERS = 'model.jaffle_shop.customers';

describe('loading', () => {
  test('loads the three artifacts at start and reports their versions', async () => {
    copyArtifacts('classic', targetDir);
    const s = await start();
    const status = s.status();
    expect(status).toMatchObject({
      workspace: 'shop',
      state: 'ready',
      message: null,
      projectName: 'jaffle_shop',
      errors: [],
      counts: { nodes: 39, tests: 20, searchDocuments: 39 },
    });
    expect(status.artifacts.manifest).toMatchObject({ schemaVersion: 'v12', dbtVersion: '1.9.0' });
    expect(status.artifacts.catalog?.schemaVersion).toBe('v1');
    expect(status.artifacts.runResults?.schemaVersion).toBe('v6');
    expect(s.index().nodes.get(CUSTOMERS)?.columns[0]?.type).toBe('INT64');
  });

  test('without catalog.json and run_results.json the index loads with empty types and statuses', async () => {
    copyArtifacts('classic', targetDir, ['manifest.json']);
    const s = await start();
    expect(s.status()).toMatchObject({ state: 'ready', errors: [], artifacts: { catalog: null, runResults: null } });
    const customers = s.index().nodes.get(CUSTOMERS);
    expect(customers?.columns[0]).toMatchObject({ name: 'customer_id', type: null });
    expect(customers?.lastRun).toBeNull();
    expect(customers?.tests.every((t) => t.status === 'not-run')).toBe(true);
  });

  test('without manifest.json the state is missing and says what to do', async () => {
    const s = await start();
    expect(s.status()).toMatchObject({ state: 'missing', loadedAt: null, counts: { nodes: 0 } });
    expect(s.status().message).toContain('No manifest.json in');
    expect(s.index().list).toEqual([]);
  });
});

describe('a broken file', () => {
  test('keeps the last good load served and reports file, message and time', async () => {
    copyArtifacts('classic', targetDir);
    const s = await start();
    const before = s.index();
    writeFileSync(path.join(targetDir, 'manifest.json'), '{"metadata": {"dbt_schema_version": ');
    await s.reload();
    const status = s.status();
    expect(status.state).toBe('error');
    expect(status.errors).toHaveLength(1);
    expect(status.errors[0]).toMatchObject({ file: 'manifest.json' });
    expect(status.errors[0]?.message).toMatch(/^manifest\.json is not valid JSON/);
    expect(Date.parse(status.errors[0]?.at ?? '')).not.toBeNaN();
    expect(s.index()).toBe(before);
    expect(s.index().nodes.get(CUSTOMERS)?.name).toBe('customers');
    expect(s.searchIndex().search('customers').total).toBeGreaterThan(0);
  });

  test('a structurally wrong catalog.json names the path; fixing it clears the error', async () => {
    copyArtifacts('classic', targetDir);
    const s = await start();
    editJson('catalog.json', (c) => {
      c.nodes[CUSTOMERS].columns.customer_id.index = 'first';
    });
    await s.reload();
    expect(s.status().errors[0]?.problems[0]).toMatchObject({
      field: `nodes["${CUSTOMERS}"].columns.customer_id.index`,
      rule: 'type number',
    });
    expect(s.index().nodes.get(CUSTOMERS)?.columns[0]?.type).toBe('INT64');

    copyArtifacts('classic', targetDir, ['catalog.json']);
    editJson('catalog.json', (c) => {
      c.nodes[CUSTOMERS].columns.customer_id.type = 'BIGNUMERIC';
    });
    await s.reload();
    expect(s.status()).toMatchObject({ state: 'ready', errors: [] });
    expect(s.index().nodes.get(CUSTOMERS)?.columns[0]?.type).toBe('BIGNUMERIC');
  });

  test('a removed manifest keeps the last load and says so; a removed run_results just empties statuses', async () => {
    copyArtifacts('classic', targetDir);
    const s = await start();
    unlinkSync(path.join(targetDir, 'run_results.json'));
    await s.reload();
    expect(s.status().state).toBe('ready');
    expect(s.index().nodes.get(CUSTOMERS)?.lastRun).toBeNull();

    unlinkSync(path.join(targetDir, 'manifest.json'));
    await s.reload();
    expect(s.status().state).toBe('error');
    expect(s.status().errors[0]?.message).toContain('manifest.json is missing');
    expect(s.index().nodes.has(CUSTOMERS)).toBe(true);
  });
});

describe('watching', () => {
  test('a changed manifest on disk is reloaded without being asked', async () => {
    copyArtifacts('classic', targetDir);
    const s = await start({ watch: true, debounceMs: 30, pollMs: 0 });
    const before = s.index();
    editJson('manifest.json', (m) => {
      m.nodes[CUSTOMERS].description = 'Customers, rewritten on disk.';
    });
    await vi.waitFor(() => expect(s.index()).not.toBe(before), { timeout: 5_000, interval: 20 });
    expect(s.index().nodes.get(CUSTOMERS)?.description).toBe('Customers, rewritten on disk.');
    expect(s.searchIndex().search('rewritten').hits[0]?.uniqueId).toBe(CUSTOMERS);
  });

  test('a target folder created after start is picked up', async () => {
    const s = await start({ watch: true, debounceMs: 30, pollMs: 0 });
    expect(s.status().state).toBe('missing');
    // The watcher retries every 2 s while the folder is missing; the poll would also find it.
    copyArtifacts('classic', targetDir);
    await vi.waitFor(() => expect(s.status().state).toBe('ready'), { timeout: 6_000, interval: 50 });
  });

  test('an unchanged file is not parsed again', async () => {
    copyArtifacts('classic', targetDir);
    const s = await start();
    const before = s.index();
    await s.reload();
    expect(s.index()).toBe(before);
  });
});

describe('hooks', () => {
  test('artifactLoad patches appear under extensions[owner] on nodes and columns', async () => {
    copyArtifacts('classic', targetDir);
    hooks.artifactLoad.register({
      owner: 'pii-tagger',
      handle: ({ index, workspace }) => [
        { uniqueId: CUSTOMERS, fields: { workspace, reviewed: true } },
        { uniqueId: CUSTOMERS, column: 'FIRST_NAME', fields: { pii: 'name' } },
        { uniqueId: CUSTOMERS, fields: { nodes: index.nodes.size } },
        { uniqueId: 'model.jaffle_shop.nope', fields: { x: 1 } },
        { uniqueId: CUSTOMERS, column: 'nope', fields: { x: 1 } },
      ],
    });
    const s = await start();
    const customers = s.index().nodes.get(CUSTOMERS);
    expect(customers?.extensions).toEqual({ 'pii-tagger': { workspace: 'shop', reviewed: true, nodes: 39 } });
    expect(customers?.columns.find((c) => c.name === 'first_name')?.extensions).toEqual({
      'pii-tagger': { pii: 'name' },
    });
    expect(customers?.columns[0]?.extensions).toEqual({});
    expect(s.index().nodes.get('model.jaffle_shop.orders')?.extensions).toEqual({});
    const report = s.status().hooks.find((h) => h.owner === 'pii-tagger');
    expect(report).toMatchObject({ hook: 'artifactLoad', ok: true, applied: 3 });
    expect(report?.rejected).toEqual([
      'patch 3: no node "model.jaffle_shop.nope"',
      `patch 4: ${CUSTOMERS} has no column "nope"`,
    ]);
  });

  test('handlers see a frozen index: the manifest-derived data cannot be rewritten', async () => {
    copyArtifacts('classic', targetDir);
    hooks.artifactLoad.register({
      owner: 'vandal',
      handle: ({ index }) => {
        (index.nodes.get(CUSTOMERS) as { name: string }).name = 'hacked';
      },
    });
    const s = await start();
    expect(s.index().nodes.get(CUSTOMERS)?.name).toBe('customers');
    expect(s.status().hooks[0]).toMatchObject({ owner: 'vandal', ok: false });
    expect(s.status().hooks[0]?.error).toMatch(/read only|read-only/);
  });

  test('a throwing handler is recorded and does not stop the load or the other handlers', async () => {
    copyArtifacts('classic', targetDir);
    hooks.artifactLoad.register({
      owner: 'broken',
      handle: () => {
        throw new Error('enricher exploded');
      },
    });
    hooks.artifactLoad.register({ owner: 'fine', handle: () => [{ uniqueId: CUSTOMERS, fields: { ok: 1 } }] });
    const refreshed: string[] = [];
    hooks.catalogRefresh.register({
      owner: 'listener',
      handle: (p) => void refreshed.push(`${p.workspace}:${p.reason}`),
    });
    const s = await start();
    expect(s.status().state).toBe('ready');
    expect(s.status().hooks.slice(0, 2)).toMatchObject([
      { hook: 'artifactLoad', owner: 'broken', ok: false, error: 'enricher exploded' },
      { hook: 'artifactLoad', owner: 'fine', ok: true, applied: 1 },
    ]);
    expect(s.index().nodes.get(CUSTOMERS)?.extensions).toEqual({ fine: { ok: 1 } });
    expect(refreshed).toEqual(['shop:load']);
  });

  test('searchIndexBuild documents are searchable; disposing the handler and rebuilding removes them', async () => {
    copyArtifacts('classic', targetDir);
    const dispose = hooks.searchIndexBuild.register({
      owner: 'glossary',
      handle: () => [
        { id: 'ltv', title: 'Lifetime value', text: 'Glossary: what a customer is worth', uniqueId: CUSTOMERS },
        { id: 'ltv', title: 'duplicate' },
      ],
    });
    const s = await start();
    const hit = s.searchIndex().search('glossary').hits[0];
    expect(hit).toMatchObject({
      id: 'ext:glossary:ltv',
      uniqueId: CUSTOMERS,
      owner: 'glossary',
      resourceType: 'extension',
    });
    expect(s.status().hooks.find((h) => h.hook === 'searchIndexBuild')?.rejected).toEqual([
      'document 1: id "ltv" is used twice',
    ]);

    dispose();
    await s.rebuild();
    expect(s.searchIndex().search('glossary').total).toBe(0);
  });

  test('handlers that hang are cut off after the hook timeout and the load is served without them', async () => {
    copyArtifacts('classic', targetDir);
    hooks.artifactLoad.register({ owner: 'slow', handle: () => new Promise(() => {}) });
    const s = await start({ hookTimeoutMs: 50 });
    expect(s.status().state).toBe('ready');
    expect(s.index().nodes.size).toBe(39);
    expect(s.status().hooks[0]).toMatchObject({ hook: 'artifactLoad', ok: false });
    expect(s.status().hooks[0]?.error).toContain('did not finish within 50 ms');
  });
});
