// Two whole server processes on one PostgreSQL: a change an admin makes through replica A reaches replica B's API
// and a shell open on B, and B catches up after it lost its notification connection. How soon (the 1 s target) is
// benchmark B10's measure; here a change has to arrive at all: without the notification B never hears of it.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { openPostgresDatabase } from '../db/postgres.ts';
import { createEnablementStore } from '../plugins/enablement.ts';
import { createTestDatabase } from '../testing/postgres.ts';
import { startPostgresCluster, type PostgresCluster } from '../testing/postgres-cluster.ts';
import { serverEventAfter } from '../testing/server-events.ts';
import { startServerProcess, type ServerProcess } from '../testing/server-process.ts';
import { writeWidgetPlugin } from '../testing/widget-plugin.ts';

const PASSWORD = 'replicas-test-password';
const PLUGIN = 'notes-widget';
let dir: string;
let cluster: PostgresCluster;
let databaseUrl: string;
let a: ServerProcess;
let b: ServerProcess;
let cookieA: string;
let cookieB: string;

function replicaEnv(name: string): Record<string, string> {
  return {
    DATABASE_URL: databaseUrl,
    WORKBENCH_DATA_DIR: path.join(dir, name),
    PLUGINS_DIRECTORY: path.join(dir, 'plugins'),
    WORKBENCH_CONFIG: path.join(dir, 'workbench.config.json'),
    WORKBENCH_ADMIN_PASSWORD: PASSWORD,
    PLUGINS_WATCH: 'false',
    PLUGIN_DEFAULT_ENABLED: 'true',
  };
}

beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'wb-replicas-'));
  mkdirSync(path.join(dir, 'ws/target'), { recursive: true });
  writeFileSync(
    path.join(dir, 'workbench.config.json'),
    JSON.stringify({
      workspaces: [
        { name: 'alpha', projectDir: path.join(dir, 'ws') },
        // Its runs last long enough to see the server running one die.
        { name: 'beta', projectDir: path.join(dir, 'ws'), runCommand: ['sleep', '20'] },
      ],
    }),
  );
  writeWidgetPlugin(dir, PLUGIN);
  cluster = await startPostgresCluster();
  databaseUrl = await createTestDatabase(cluster.url());
  // One after the other: the first creates the admin both sign in as.
  a = await startServerProcess({ env: replicaEnv('replica-a'), readyTimeoutMs: 60_000 });
  b = await startServerProcess({ env: replicaEnv('replica-b'), readyTimeoutMs: 60_000 });
  cookieA = await a.signIn('admin', PASSWORD);
  cookieB = await b.signIn('admin', PASSWORD);
}, 120_000);
afterAll(async () => {
  await Promise.all([a?.stop(), b?.stop()]);
  cluster?.destroy();
  rmSync(dir, { recursive: true, force: true });
});

async function stateOn(server: ServerProcess, cookie: string): Promise<string | undefined> {
  const body = (await (await fetch(`${server.url}/api/plugins`, { headers: { cookie } })).json()) as {
    plugins: { name: string; state: string }[];
  };
  return body.plugins.find((p) => p.name === PLUGIN)?.state;
}

function adminPost(server: ServerProcess, cookie: string, route: string): Promise<Response> {
  return fetch(`${server.url}${route}`, { method: 'POST', headers: { cookie, origin: server.url } });
}

/** Polls until `check` holds; returns how long it took, or throws after `ms`. */
async function within(ms: number, check: () => Promise<boolean>): Promise<number> {
  const started = performance.now();
  while (!(await check())) {
    if (performance.now() - started > ms) throw new Error(`not within ${ms} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return performance.now() - started;
}

describe('several servers on one PostgreSQL', () => {
  test("a disable and an enable made through replica A reach B's API and a shell open on B", async () => {
    expect(await stateOn(b, cookieB)).toBe('active');
    for (const [verb, state] of [
      ['disable', 'disabled'],
      ['enable', 'active'],
    ] as const) {
      const event = await serverEventAfter(
        b.url,
        cookieB,
        (e) => e.type === 'plugins-changed' && (e.plugins as string[]).includes(PLUGIN),
        async () => expect((await adminPost(a, cookieA, `/api/plugins/${PLUGIN}/${verb}`)).status).toBe(200),
      );
      expect(event.type).toBe('plugins-changed');
      // The shell refetches on that event: B's API already answers with the change.
      expect(await stateOn(b, cookieB)).toBe(state);
    }
  }, 30_000);

  test('a per-workspace switch through A, off then back to inherited, is in B’s extensions list', async () => {
    const extensions = async () =>
      JSON.stringify(
        await (await fetch(`${b.url}/api/workspaces/alpha/extensions`, { headers: { cookie: cookieB } })).json(),
      );
    expect(await extensions()).toContain(PLUGIN);
    const off = await fetch(`${a.url}/api/plugins/${PLUGIN}/workspaces/alpha`, {
      method: 'PUT',
      headers: { cookie: cookieA, origin: a.url, 'content-type': 'application/json' },
      body: JSON.stringify({ enabled: false }),
    });
    expect(off.status).toBe(200);
    await within(10_000, async () => !(await extensions()).includes(PLUGIN));
    const on = await fetch(`${a.url}/api/plugins/${PLUGIN}/workspaces/alpha`, {
      method: 'PUT',
      headers: { cookie: cookieA, origin: a.url, 'content-type': 'application/json' },
      body: JSON.stringify({ enabled: null }),
    });
    expect(on.status).toBe(200);
    await within(10_000, async () => (await extensions()).includes(PLUGIN));
  }, 30_000);

  test('a replica that lost its notification connection catches up when it is back, and tells its shells', async () => {
    // A change whose notification never reached B (written straight to the database, as one sent while B's
    // listening connection was down): only B's catch-up on reconnect can find it.
    const db = await openPostgresDatabase(databaseUrl);
    const admin = new pg.Client({ connectionString: databaseUrl });
    await admin.connect();
    try {
      await createEnablementStore(db).setGlobal(PLUGIN, false, null);
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(await stateOn(b, cookieB)).toBe('active');
      const event = await serverEventAfter(
        b.url,
        cookieB,
        (e) => e.type === 'plugins-changed' && (e.plugins as string[]).includes(PLUGIN),
        () =>
          admin.query(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE query = 'LISTEN workbench_changes'",
          ),
      );
      expect(event.type).toBe('plugins-changed');
      expect(await stateOn(b, cookieB)).toBe('disabled');
    } finally {
      await admin.end();
      await db.close();
    }
  }, 30_000);
});

describe('schedules on several servers', () => {
  test('a schedule fires once per firing across servers, and a change made on one stops the others’ stale jobs', async () => {
    const created = await fetch(`${a.url}/api/workspaces/alpha/schedules`, {
      method: 'POST',
      headers: { cookie: cookieA, origin: a.url, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'every second', cron: '* * * * * *' }),
    });
    expect(created.status).toBe(201);
    const { id } = (await created.json()) as { id: string };
    // A third server started now loads the schedule: A and C both run its job.
    const c = await startServerProcess({ env: replicaEnv('replica-c'), readyTimeoutMs: 60_000 });
    const admin = new pg.Client({ connectionString: databaseUrl });
    await admin.connect();
    try {
      await new Promise((resolve) => setTimeout(resolve, 3500));
      const off = await fetch(`${a.url}/api/workspaces/alpha/schedules/${id}`, {
        method: 'PUT',
        headers: { cookie: cookieA, origin: a.url, 'content-type': 'application/json' },
        body: JSON.stringify({ enabled: false }),
      });
      expect(off.status).toBe(200);
      await new Promise((resolve) => setTimeout(resolve, 300));
      const count = async () =>
        (await admin.query('SELECT COUNT(*)::int AS n FROM runs WHERE schedule_id = $1', [id])).rows[0].n as number;
      const runsWhenDisabled = await count();
      const firings = await admin.query('SELECT fire_at, server FROM schedule_firings WHERE schedule_id = $1', [id]);
      // One run per firing, never two: each firing was claimed by exactly one server.
      expect(runsWhenDisabled).toBeGreaterThanOrEqual(2);
      expect(runsWhenDisabled).toBe(firings.rowCount);
      // C never heard of the change, but checks the schedule before each firing: no run after the disable.
      await new Promise((resolve) => setTimeout(resolve, 1500));
      expect(await count()).toBe(runsWhenDisabled);
    } finally {
      await admin.end();
      await c.stop();
    }
  }, 60_000);
});

describe('runs on several servers', () => {
  test('a run whose server was killed is marked interrupted by another, with the reason; a live one is left alone', async () => {
    const c = await startServerProcess({ env: replicaEnv('replica-c2'), readyTimeoutMs: 60_000 });
    const cookieC = await c.signIn('admin', PASSWORD);
    const started = await fetch(`${c.url}/api/workspaces/beta/runs`, {
      method: 'POST',
      headers: { cookie: cookieC, origin: c.url, 'content-type': 'application/json' },
      body: '{}',
    });
    expect(started.status).toBe(201);
    const { id } = (await started.json()) as { id: string };
    const onA = async () =>
      (await (await fetch(`${a.url}/api/workspaces/beta/runs/${id}`, { headers: { cookie: cookieA } })).json()) as {
        status: string;
        error: string | null;
      };
    await within(5000, async () => (await onA()).status === 'running');
    // A and B are alive and see C alive: the run stays running on its server.
    await new Promise((resolve) => setTimeout(resolve, 2500));
    expect((await onA()).status).toBe('running');

    c.child.kill('SIGKILL');
    await c.exited;
    const took = await within(15_000, async () => (await onA()).status === 'interrupted');
    expect(took).toBeLessThan(15_000);
    expect((await onA()).error).toContain('The server stopped while this run was running');
  }, 60_000);
});
