// Two whole server processes on one PostgreSQL judge a plugin's budget on the cluster's figures: each stores its
// cost history points in the database and reads back the other's. A plugin failing on both is disabled once (one
// audit entry, one notice) and everywhere; each server's diagnostics show both servers' figures and the total.
import { cpSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import type { PluginSummary } from '../../../shared/api.schema.ts';
import type { AuditPage } from '../../../shared/installation.schema.ts';
import type { AdminNoticeList } from '../../../shared/plugin-budgets.schema.ts';
import type { PluginDiagnosticsAnswer } from '../../../shared/plugin-diagnostics.schema.ts';
import { eventually } from '../../sandbox/testing.ts';
import { startReplicaCluster, type Replica, type ReplicaCluster } from '../../testing/replica-cluster.ts';

const FIXTURES = path.resolve(import.meta.dirname, '../../../e2e/fixtures/budget-plugins');
const PLUGIN = 'always-fails';
let cluster: ReplicaCluster;
let a: Replica;
let b: Replica;

beforeAll(async () => {
  cluster = await startReplicaCluster({
    workspaces: [{ name: 'default' }],
    plugins: 'shared',
    env: {
      PLUGIN_AUTO_APPROVE: 'extend-api',
      // Budgets judged over 1 s of 200 ms points, from 3 calls on: a failing plugin trips within seconds.
      PLUGIN_METRICS_INTERVAL_MS: '200',
      PLUGIN_BUDGET_WINDOW_S: '1',
      PLUGIN_BUDGET_MIN_CALLS: '3',
    },
    prepare: (dir) => cpSync(path.join(FIXTURES, PLUGIN), path.join(dir, 'plugins', PLUGIN), { recursive: true }),
  });
  a = await cluster.start('replica-a');
  b = await cluster.start('replica-b');
}, 120_000);
afterAll(() => cluster?.destroy());

const call = (server: Replica, route: 'ok' | 'fail') =>
  fetch(`${server.url}/api/ext/${PLUGIN}/${route}`, {
    headers: { cookie: server.cookie, 'x-workbench-workspace': 'default' },
  });

test('a plugin failing on both servers is disabled once, everywhere; diagnostics show both servers and the total', async () => {
  for (const server of [a, b]) {
    await eventually('the backend', async () => ((await call(server, 'ok')).status === 200 ? true : undefined));
  }
  // Failing calls through both servers, as users behind a proxy would make them, until both see it disabled.
  await eventually(
    'the automatic disable on both servers',
    async () => {
      await Promise.all([call(a, 'fail'), call(b, 'fail')]);
      const states = await Promise.all([
        a.getJson<PluginSummary>(`/api/plugins/${PLUGIN}`),
        b.getJson<PluginSummary>(`/api/plugins/${PLUGIN}`),
      ]);
      return states.every((s) => s.state === 'disabled') ? states : undefined;
    },
    30_000,
  );
  // Both judged the same figures; one disabled it.
  const audit = await b.getJson<AuditPage>('/api/audit?action=plugin.auto-disable');
  expect(audit.entries).toHaveLength(1);
  const { notices } = await a.getJson<AdminNoticeList>('/api/notices');
  expect(notices.filter((n) => n.plugin === PLUGIN && n.kind === 'plugin-auto-disabled')).toHaveLength(1);
  expect((await call(a, 'ok')).status).toBe(404);
  expect((await call(b, 'ok')).status).toBe(404);

  const onB = await b.getJson<PluginDiagnosticsAnswer>(`/api/plugins/${PLUGIN}/diagnostics`);
  const replicas = onB.cluster!.replicas;
  expect(replicas).toHaveLength(2);
  expect(replicas.map((r) => [r.current, r.alive])).toEqual([
    [true, true],
    [false, true],
  ]);
  for (const replica of replicas) {
    expect(replica.host).toBe(os.hostname());
    expect(replica.seenAt).not.toBeNull();
    expect(replica.figures.errors).toBeGreaterThan(0);
  }
  const total = onB.cluster!.total;
  expect(total.calls).toBe(replicas[0]!.figures.calls + replicas[1]!.figures.calls);
  expect(total.errors).toBe(replicas[0]!.figures.errors + replicas[1]!.figures.errors);
  // The history on B is the cluster's: it holds A's calls too.
  expect(onB.history!.reduce((n, p) => n + p.calls, 0)).toBeGreaterThan(replicas[0]!.figures.calls);
  // A answers with the same servers, itself first.
  const onA = await a.getJson<PluginDiagnosticsAnswer>(`/api/plugins/${PLUGIN}/diagnostics`);
  expect(onA.cluster!.replicas.map((r) => r.server)).toEqual([replicas[1]!.server, replicas[0]!.server]);
}, 90_000);
