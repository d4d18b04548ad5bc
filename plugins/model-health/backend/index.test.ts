// The model-health backend with the SDK's fake host: its rules over given data-API answers, no server.
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, test } from 'vitest';
import { createFakeHost } from '@dbt-workbench/plugin-sdk/testing';
import type { BackendData } from '@dbt-workbench/plugin-sdk';
import { activate } from './index.ts';

const row = (name: string, status: string | null, fail = 0) => ({
  uniqueId: `model.shop.${name}`,
  name,
  lastRun: status ? { status } : null,
  tests: { fail, error: 0 },
});

async function started(data: Partial<BackendData>, config = { maxFailing: 1 }) {
  const host = createFakeHost({ dataDir: mkdtempSync(path.join(os.tmpdir(), 'health-')), data, config });
  await activate(host);
  return host;
}

test('a model whose run errored or whose tests failed is failing; at most maxFailing keeps it healthy', async () => {
  const list = (items: unknown[]) => ({ items, total: items.length, facets: {} }) as never;
  const host = await started({
    models: async (_workspace, query) =>
      query?.resourceType === 'source'
        ? list([{}, {}])
        : list([row('orders', 'success'), row('customers', 'error'), row('payments', 'success', 2)]),
    runs: async () => ({ runs: [{ status: 'success' }, { status: 'error' }], nextBefore: null }) as never,
  });
  const answer = await host.request('GET', '/summary');
  expect(answer.body).toEqual({
    workspace: 'test-workspace',
    models: 3,
    sources: 2,
    failing: ['customers', 'payments'],
    maxFailing: 1,
    healthy: false,
    recentRuns: ['success', 'error'],
  });
});

test("the host's not_found is a 404 naming the node; other refusals a 502 with the host's message", async () => {
  const host = await started({
    node: async (_w, id) => Promise.reject(Object.assign(new Error(`No node "${id}"`), { code: 'not_found' })),
  });
  expect(await host.request('GET', '/models/model.shop.gone')).toEqual({
    status: 404,
    body: { error: { code: 'not_found', message: 'No node "model.shop.gone"' } },
  });
  const refused = await host.request('GET', '/seeds');
  expect(refused.status).toBe(502);
  expect(refused.body).toMatchObject({ error: { message: 'fake host: sql.tables was not given a result' } });
});
