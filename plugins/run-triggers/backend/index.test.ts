// The run-triggers backend with the SDK's fake host: the triggers it adds per workspace, and its checks.
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, test } from 'vitest';
import { createFakeHost } from '@dbt-workbench/plugin-sdk/testing';
import { activate } from './index.ts';
import { staleDecision } from './rules.ts';

const settings = {
  after: '',
  branch: 'main',
  staleSeed: '',
  staleColumn: 'loaded_at',
  maxAgeDays: 1,
  checkEverySeconds: 60,
};

test('each workspace gets a deploy webhook; "after" and "staleSeed" add their triggers', async () => {
  const host = createFakeHost({
    dataDir: mkdtempSync(path.join(os.tmpdir(), 'triggers-')),
    workspaces: [{ name: 'marts', title: 'Marts' }],
    config: { ...settings, after: 'staging', staleSeed: 'raw_orders', staleColumn: 'order_date' },
    sql: {
      query: async () => ({
        columns: [],
        rows: [['2018-04-09']],
        rowCount: 1,
        limit: 1,
        truncated: false,
        elapsedMs: 1,
      }),
    },
  });
  await activate(host);
  expect([...host.triggers.values()].map(({ trigger }) => [trigger.name, trigger.when])).toEqual([
    ['deploy', { kind: 'webhook' }],
    ['after-staging', { kind: 'after-run', upstream: 'staging' }],
    ['stale-raw-orders', { kind: 'source-stale', source: 'raw_orders', everySeconds: 60 }],
  ]);
  const deploy = host.triggers.get('deploy')!;
  expect(await deploy.check({ workspace: 'marts', trigger: 'deploy', kind: 'webhook', body: { ref: 'dev' } })).toEqual({
    run: false,
    reason: 'dev is not the deploy branch main',
  });
  const stale = await host.triggers
    .get('stale-raw-orders')!
    .check({ workspace: 'marts', trigger: 'x', kind: 'source-stale' });
  expect(stale).toMatchObject({ run: true, reason: expect.stringMatching(/^raw_orders is \d+ days old$/) });
});

test('a seed is fresh within maxAgeDays, stale after, and stale without rows', () => {
  const now = new Date('2026-01-10T12:00:00Z');
  expect(staleDecision('orders', '2026-01-10T00:00:00Z', 1, now)).toEqual({ run: false, reason: 'orders is fresh' });
  expect(staleDecision('orders', '2026-01-07', 1, now)).toEqual({ run: true, reason: 'orders is 3 days old' });
  expect(staleDecision('orders', null, 1, now)).toEqual({ run: true, reason: 'orders has no rows' });
  expect(staleDecision('orders', 'soon', 1, now).run).toBe(false);
});
