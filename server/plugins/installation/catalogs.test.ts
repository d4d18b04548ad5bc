import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, test } from 'vitest';
import { CatalogIndex } from '../../../shared/installation.schema.ts';
import { packCatalog } from './catalog-pack.ts';
import { readCatalog } from './catalog.ts';
import { startTestApp } from '../../testing/test-app.ts';
import { call } from './testing.ts';

const repo = path.resolve(import.meta.dirname, '../../..');
const e2eCatalog = path.join(repo, 'e2e', 'fixtures', 'marketplace');

test('the e2e catalog is packed from its sources: run `node e2e/fixtures/marketplace/pack.ts` when this fails', async () => {
  const out = mkdtempSync(path.join(os.tmpdir(), 'wb-pack-'));
  try {
    const sources = readdirSync(path.join(e2eCatalog, 'sources'))
      .sort()
      .map((name) => path.join(e2eCatalog, 'sources', name));
    const fresh = await packCatalog(sources, out);
    const committed = CatalogIndex.parse(JSON.parse(readFileSync(path.join(e2eCatalog, 'index.json'), 'utf8')));
    expect(committed).toEqual(fresh);
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
});

test.each([e2eCatalog, path.join(repo, 'marketplace')])('every package of %s matches its index entry', async (dir) => {
  const catalog = await readCatalog(dir);
  expect(catalog.problems).toEqual([]);
  expect(catalog.packages.length).toBeGreaterThan(0);
  for (const pkg of catalog.packages) {
    const bytes = readFileSync(pkg.location);
    expect(createHash('sha256').update(bytes).digest('hex'), pkg.location).toBe(pkg.sha256);
    expect(bytes.length).toBe(pkg.size);
  }
});

test('every package of the demo marketplace installs on this server and passes discovery', async () => {
  const app = await startTestApp({ features: [], env: { PLUGIN_CATALOG: path.join(repo, 'marketplace') } });
  try {
    const entries = (await call(app, 'GET', '/api/marketplace')).json().entries as {
      name: string;
      versions: { version: string }[];
    }[];
    for (const entry of entries) {
      for (const { version } of [...entry.versions].reverse()) {
        const installed = await call(app, 'POST', '/api/plugins/install', { marketplace: entry.name, version });
        expect(installed.statusCode, installed.body).toBe(201);
        expect(installed.json().plugin.problems).toEqual([]);
        expect(['active', 'pending-approval']).toContain(installed.json().plugin.state);
        expect((await call(app, 'DELETE', `/api/plugins/${entry.name}`)).statusCode).toBe(200);
      }
    }
  } finally {
    await app.close();
  }
});
