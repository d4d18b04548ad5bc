// Two whole server processes on one PostgreSQL judge a plugin's budget on the cluster's figures: each stores its
// cost history points in the database and reads back the other's. A plugin failing on both is disabled once (one
// audit entry, one notice) and everywhere; each server's diagnostics show both servers' figures and the total.
import { chmodSync, cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import type { PluginSummary } from '../../../shared/api.schema.ts';
import type { AuditPage } from '../../../shared/installation.schema.ts';
import type { AdminNoticeList } from '../../../shared/plugin-budgets.schema.ts';
import type { PluginDiagnosticsAnswer } from '../../../shared/plugin-diagnostics.schema.ts';
import { eventually } from '../../sandbox/testing.ts';
import { createTestDatabase } from '../../testing/postgres.ts';
import { startPostgresCluster, type PostgresCluster } from '../../testing/postgres-cluster.ts';
import { startServerProcess, type ServerProcess } from '../../testing/server-process.ts';

const FIXTURES = path.resolve(import.meta.dirname, '../../../e2e/fixtures/budget-plugins');
const PASSWORD = 'budget-replicas-password';
const PLUGIN = 'always-fails';
let dir: string;
let cluster: PostgresCluster;
let a: ServerProcess;
let b: ServerProcess;
let cookieA: string;
let cookieB: string;

beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'wb-budget-replicas-'));
  // The backends run as a sandbox user that must read the plugin's folder.
  chmodSync(dir, 0o755);
  mkdirSync(path.join(dir, 'ws/target'), { recursive: true });
  cpSync(path.join(FIXTURES, PLUGIN), path.join(dir, 'plugins', PLUGIN), { recursive: true });
  writeFileSync(
    path.join(dir, 'workbench.config.json'),
    JSON.stringify({ workspaces: [{ name: 'default', projectDir: path.join(dir, 'ws') }] }),
  );
  cluster = await startPostgresCluster();
  const databaseUrl = await createTestDatabase(cluster.url());
  const start = (name: string) =>
    startServerProcess({
      env: {
        DATABASE_URL: databaseUrl,
        WORKBENCH_DATA_DIR: path.join(dir, name),
        PLUGINS_DIRECTORY: path.join(dir, 'plugins'),
        WORKBENCH_CONFIG: path.join(dir, 'workbench.config.json'),
        WORKBENCH_ADMIN_PASSWORD: PASSWORD,
        PLUGINS_WATCH: 'false',
        PLUGIN_AUTO_APPROVE: 'extend-api',
        // Budgets judged over 1 s of 200 ms points, from 3 calls on: a failing plugin trips within seconds.
        PLUGIN_METRICS_INTERVAL_MS: '200',
        PLUGIN_BUDGET_WINDOW_S: '1',
        PLUGIN_BUDGET_MIN_CALLS: '3',
      },
      readyTimeoutMs: 60_000,
    });
  a = await start('replica-a');
  b = await start('replica-b');
  cookieA = await a.signIn('admin', PASSWORD);
  cookieB = await b.signIn('admin', PASSWORD);
}, 120_000);
afterAll(async () => {
  await Promise.all([a?.stop(), b?.stop()]);
  cluster?.destroy();
  rmSync(dir, { recursive: true, force: true });
});

const call = (server: ServerProcess, cookie: string, route: 'ok' | 'fail') =>
  fetch(`${server.url}/api/ext/${PLUGIN}/${route}`, { headers: { cookie, 'x-workbench-workspace': 'default' } });
const get = async <T>(server: ServerProcess, cookie: string, route: string): Promise<T> => {
  const response = await fetch(`${server.url}${route}`, { headers: { cookie } });
  expect(response.status, route).toBe(200);
  return (await response.json()) as T;
};

test('a plugin failing on both servers is disabled once, everywhere; diagnostics show both servers and the total', async () => {
  for (const [server, cookie] of [
    [a, cookieA],
    [b, cookieB],
  ] as const) {
    await eventually('the backend', async () => ((await call(server, cookie, 'ok')).status === 200 ? true : undefined));
  }
  // Failing calls through both servers, as users behind a proxy would make them, until both see it disabled.
  await eventually(
    'the automatic disable on both servers',
    async () => {
      await Promise.all([call(a, cookieA, 'fail'), call(b, cookieB, 'fail')]);
      const states = await Promise.all([
        get<PluginSummary>(a, cookieA, `/api/plugins/${PLUGIN}`),
        get<PluginSummary>(b, cookieB, `/api/plugins/${PLUGIN}`),
      ]);
      return states.every((s) => s.state === 'disabled') ? states : undefined;
    },
    30_000,
  );
  // Both judged the same figures; one disabled it.
  const audit = await get<AuditPage>(b, cookieB, '/api/audit?action=plugin.auto-disable');
  expect(audit.entries).toHaveLength(1);
  const { notices } = await get<AdminNoticeList>(a, cookieA, '/api/notices');
  expect(notices.filter((n) => n.plugin === PLUGIN && n.kind === 'plugin-auto-disabled')).toHaveLength(1);
  expect((await call(a, cookieA, 'ok')).status).toBe(404);
  expect((await call(b, cookieB, 'ok')).status).toBe(404);

  const onB = await get<PluginDiagnosticsAnswer>(b, cookieB, `/api/plugins/${PLUGIN}/diagnostics`);
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
  const onA = await get<PluginDiagnosticsAnswer>(a, cookieA, `/api/plugins/${PLUGIN}/diagnostics`);
  expect(onA.cluster!.replicas.map((r) => r.server)).toEqual([replicas[1]!.server, replicas[0]!.server]);
}, 90_000);
