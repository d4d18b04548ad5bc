// The model-notes backend, tested with the SDK's fake host: no server, no sandbox.
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, test } from 'vitest';
import { createFakeHost } from '@dbt-workbench/plugin-sdk/testing';
import { activate } from './index.ts';

async function started() {
  const host = createFakeHost({
    plugin: { name: 'model-notes', version: '1.0.0' },
    dataDir: mkdtempSync(path.join(os.tmpdir(), 'notes-')),
  });
  await activate(host);
  return host;
}

test('a developer adds a note, reads it back, and the catalog is asked to refresh', async () => {
  const host = await started();
  const added = await host.request('POST', '/notes', {
    body: { model: 'model.shop.orders', text: '  Owned by finance ' },
  });
  expect(added).toMatchObject({ status: 201, body: { text: 'Owned by finance', author: 'tester' } });
  expect(host.refreshes).toBe(1);
  const listed = await host.request('GET', '/notes', { query: { model: 'model.shop.orders' } });
  expect(listed.body).toMatchObject({ model: 'model.shop.orders', notes: [{ text: 'Owned by finance' }] });
});

test('a viewer may not add notes, and a missing model is a 400 naming the field', async () => {
  const host = await started();
  const asViewer = await host.request('POST', '/notes', {
    body: { model: 'model.shop.orders', text: 'hi' },
    workspace: { name: 'test-workspace', role: 'viewer' },
  });
  expect(asViewer.status).toBe(403);
  expect((await host.request('GET', '/notes')).body).toMatchObject({
    error: { message: expect.stringMatching(/^model:/) },
  });
});

test('the artifact-load enricher counts notes only on models the manifest has', async () => {
  const host = await started();
  await host.request('POST', '/notes', { body: { model: 'model.shop.orders', text: 'one' } });
  await host.request('POST', '/notes', { body: { model: 'model.shop.gone', text: 'two' } });
  const targetDir = mkdtempSync(path.join(os.tmpdir(), 'notes-target-'));
  writeFileSync(path.join(targetDir, 'manifest.json'), JSON.stringify({ nodes: { 'model.shop.orders': {} } }));
  const [enrich] = host.hooks.artifactLoad!;
  const patches = await (enrich as (c: unknown) => unknown)({
    workspace: 'test-workspace',
    artifacts: { targetDir, manifest: path.join(targetDir, 'manifest.json'), catalog: '', runResults: '' },
  });
  expect(patches).toEqual([{ uniqueId: 'model.shop.orders', fields: { noteCount: 1 } }]);
});
