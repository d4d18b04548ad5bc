// The model-stewards backend, tested with the SDK's fake host: no server, no sandbox.
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, test } from 'vitest';
import { createFakeHost } from '@dbt-workbench/plugin-sdk/testing';
import { activate } from './index.ts';

async function started(dataDir = mkdtempSync(path.join(os.tmpdir(), 'stewards-'))) {
  const host = createFakeHost({ plugin: { name: 'model-stewards', version: '1.0.0' }, dataDir });
  await activate(host);
  return host;
}

test('assigning a steward is read back by the tool and the route, and survives a restart', async () => {
  const host = await started();
  expect(await host.callTool('steward_of', { model: 'model.shop.orders' })).toEqual({
    model: 'model.shop.orders',
    steward: null,
    since: null,
  });
  const first = await host.callTool('assign_steward', { model: 'model.shop.orders', steward: 'finance' });
  expect(first).toEqual({ model: 'model.shop.orders', steward: 'finance', previous: null, assignedBy: 'tester' });
  const second = await host.callTool('assign_steward', { model: 'model.shop.orders', steward: 'ops' });
  expect(second).toMatchObject({ previous: 'finance', steward: 'ops' });
  const route = await host.request('GET', '/stewards/model.shop.orders');
  expect(route.body).toMatchObject({ steward: 'ops' });
  const again = await started(host.dataDir);
  expect(await again.callTool('steward_of', { model: 'model.shop.orders' })).toMatchObject({ steward: 'ops' });
});

test('stewards are kept per workspace', async () => {
  const host = await started();
  await host.callTool('assign_steward', { model: 'model.a', steward: 'x' });
  const elsewhere = await host.callTool(
    'steward_of',
    { model: 'model.a' },
    { workspace: { name: 'other', role: 'viewer' } },
  );
  expect(elsewhere).toMatchObject({ steward: null });
});
