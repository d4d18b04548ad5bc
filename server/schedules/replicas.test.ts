// Two whole server processes on one PostgreSQL: a schedule created, changed or deleted through one server reaches
// the scheduler of the other at once, not at its next restart.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { createTestDatabase } from '../testing/postgres.ts';
import { startPostgresCluster, type PostgresCluster } from '../testing/postgres-cluster.ts';
import { startServerProcess, type ServerProcess } from '../testing/server-process.ts';

const PASSWORD = 'schedule-replicas-password';
let dir: string;
let cluster: PostgresCluster;
let databaseUrl: string;
let admin: pg.Client;

function start(name: string): Promise<ServerProcess> {
  return startServerProcess({
    env: {
      DATABASE_URL: databaseUrl,
      WORKBENCH_DATA_DIR: path.join(dir, name),
      PLUGINS_DIRECTORY: path.join(dir, 'plugins'),
      WORKBENCH_CONFIG: path.join(dir, 'workbench.config.json'),
      WORKBENCH_ADMIN_PASSWORD: PASSWORD,
      PLUGINS_WATCH: 'false',
    },
    readyTimeoutMs: 60_000,
  });
}

beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'wb-schedule-replicas-'));
  mkdirSync(path.join(dir, 'ws/target'), { recursive: true });
  mkdirSync(path.join(dir, 'plugins'));
  writeFileSync(
    path.join(dir, 'workbench.config.json'),
    JSON.stringify({ workspaces: [{ name: 'alpha', projectDir: path.join(dir, 'ws'), runCommand: ['true'] }] }),
  );
  cluster = await startPostgresCluster();
  databaseUrl = await createTestDatabase(cluster.url());
  admin = new pg.Client({ connectionString: databaseUrl });
  await admin.connect();
}, 60_000);
afterAll(async () => {
  await admin?.end();
  cluster?.destroy();
  rmSync(dir, { recursive: true, force: true });
});

async function runsSince(schedule: string, since: string): Promise<number> {
  const result = await admin.query('SELECT COUNT(*)::int AS n FROM runs WHERE schedule_id = $1 AND created_at > $2', [
    schedule,
    since,
  ]);
  return result.rows[0].n as number;
}

async function waitFor(ms: number, check: () => Promise<boolean>): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (await check()) return true;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return check();
}

test('a schedule created through A fires on B once A is gone; one switched off and on through B fires on C once B is gone', async () => {
  // All three run before the schedule exists: none loaded it at its start.
  const a = await start('replica-a');
  const b = await start('replica-b');
  const c = await start('replica-c');
  try {
    const cookieA = await a.signIn('admin', PASSWORD);
    const created = await fetch(`${a.url}/api/workspaces/alpha/schedules`, {
      method: 'POST',
      headers: { cookie: cookieA, origin: a.url, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'every second', cron: '* * * * * *' }),
    });
    expect(created.status).toBe(201);
    const { id } = (await created.json()) as { id: string };
    await a.stop();
    const aGone = new Date().toISOString();
    // Only B and C can start these runs: they heard of the schedule from A, not from a restart.
    expect(await waitFor(5000, async () => (await runsSince(id, aGone)) >= 2)).toBe(true);

    const cookieB = await b.signIn('admin', PASSWORD);
    const change = (enabled: boolean) =>
      fetch(`${b.url}/api/workspaces/alpha/schedules/${id}`, {
        method: 'PUT',
        headers: { cookie: cookieB, origin: b.url, 'content-type': 'application/json' },
        body: JSON.stringify({ enabled }),
      });
    expect((await change(false)).status).toBe(200);
    // C's job stops here (at once, or at its next firing when it sees the schedule off).
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect((await change(true)).status).toBe(200);
    await b.stop();
    const bGone = new Date().toISOString();
    // C started no job of its own for the enabled schedule: only the change B announced can start it again.
    expect(await waitFor(5000, async () => (await runsSince(id, bGone)) >= 2)).toBe(true);
  } finally {
    await Promise.all([a.stop(), b.stop(), c.stop()]);
  }
}, 90_000);
