// Two whole server processes on one PostgreSQL: a change an admin makes through replica A reaches replica B's API
// and a shell open on B, and B catches up after it lost its notification connection. How soon (the 1 s target) is
// benchmark B10's measure; here a change has to arrive at all: without the notification B never hears of it.
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { openPostgresDatabase } from '../db/postgres.ts';
import { createEnablementStore } from '../plugins/enablement.ts';
import { eventually } from '../sandbox/testing.ts';
import { startReplicaCluster, type Replica, type ReplicaCluster } from '../testing/replica-cluster.ts';
import { serverEventAfter } from '../testing/server-events.ts';
import { writeWidgetPlugin } from '../testing/widget-plugin.ts';

const PLUGIN = 'notes-widget';
let cluster: ReplicaCluster;
let a: Replica;
let b: Replica;

beforeAll(async () => {
  cluster = await startReplicaCluster({
    workspaces: [
      { name: 'alpha' },
      // Its runs last long enough to see the server running one die.
      { name: 'beta', runCommand: ['sleep', '20'] },
    ],
    plugins: 'shared',
    env: { PLUGIN_DEFAULT_ENABLED: 'true' },
    prepare: (dir) => writeWidgetPlugin(dir, PLUGIN),
  });
  // One after the other: the first creates the admin both sign in as.
  a = await cluster.start('replica-a');
  b = await cluster.start('replica-b');
}, 120_000);
afterAll(() => cluster?.destroy());

async function stateOn(server: Replica): Promise<string | undefined> {
  const body = await server.getJson<{ plugins: { name: string; state: string }[] }>('/api/plugins');
  return body.plugins.find((p) => p.name === PLUGIN)?.state;
}

describe('several servers on one PostgreSQL', () => {
  test("a disable and an enable made through replica A reach B's API and a shell open on B", async () => {
    expect(await stateOn(b)).toBe('active');
    for (const [verb, state] of [
      ['disable', 'disabled'],
      ['enable', 'active'],
    ] as const) {
      const event = await serverEventAfter(
        b.url,
        b.cookie,
        (e) => e.type === 'plugins-changed' && (e.plugins as string[]).includes(PLUGIN),
        async () => expect((await a.send('POST', `/api/plugins/${PLUGIN}/${verb}`)).status).toBe(200),
      );
      expect(event.type).toBe('plugins-changed');
      // The shell refetches on that event: B's API already answers with the change.
      expect(await stateOn(b)).toBe(state);
    }
  }, 30_000);

  test('a per-workspace switch through A, off then back to inherited, is in B’s extensions list', async () => {
    const listed = async () => JSON.stringify(await b.getJson('/api/workspaces/alpha/extensions')).includes(PLUGIN);
    const switchTo = (enabled: boolean | null) =>
      a.send('PUT', `/api/plugins/${PLUGIN}/workspaces/alpha`, { body: { enabled } });
    expect(await listed()).toBe(true);
    expect((await switchTo(false)).status).toBe(200);
    await eventually('B to leave it out', async () => ((await listed()) ? undefined : true), 10_000);
    expect((await switchTo(null)).status).toBe(200);
    await eventually('B to list it again', async () => ((await listed()) ? true : undefined), 10_000);
  }, 30_000);

  test('a replica that lost its notification connection catches up when it is back, and tells its shells', async () => {
    // A change whose notification never reached B (written straight to the database, as one sent while B's
    // listening connection was down): only B's catch-up on reconnect can find it.
    const db = await openPostgresDatabase(cluster.databaseUrl);
    const admin = new pg.Client({ connectionString: cluster.databaseUrl });
    await admin.connect();
    try {
      await createEnablementStore(db).setGlobal(PLUGIN, false, null);
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(await stateOn(b)).toBe('active');
      const event = await serverEventAfter(
        b.url,
        b.cookie,
        (e) => e.type === 'plugins-changed' && (e.plugins as string[]).includes(PLUGIN),
        () =>
          admin.query(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE query = 'LISTEN workbench_changes'",
          ),
      );
      expect(event.type).toBe('plugins-changed');
      expect(await stateOn(b)).toBe('disabled');
    } finally {
      await admin.end();
      await db.close();
    }
  }, 30_000);
});

describe('schedules on several servers', () => {
  test('a schedule fires once per firing across servers, and a change made on one stops the others’ stale jobs', async () => {
    const created = await a.send('POST', '/api/workspaces/alpha/schedules', {
      body: { name: 'every second', cron: '* * * * * *' },
    });
    expect(created.status).toBe(201);
    const { id } = (await created.json()) as { id: string };
    // A third server started now loads the schedule: A and C both run its job.
    const c = await cluster.start('replica-c');
    const admin = new pg.Client({ connectionString: cluster.databaseUrl });
    await admin.connect();
    try {
      await new Promise((resolve) => setTimeout(resolve, 3500));
      const off = await a.send('PUT', `/api/workspaces/alpha/schedules/${id}`, { body: { enabled: false } });
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
      await c.process.stop();
    }
  }, 60_000);
});

describe('runs on several servers', () => {
  test('a run whose server was killed is marked interrupted by another, with the reason; a live one is left alone', async () => {
    const c = await cluster.start('replica-c2');
    const started = await c.send('POST', '/api/workspaces/beta/runs', { body: {} });
    expect(started.status).toBe(201);
    const { id } = (await started.json()) as { id: string };
    const onA = () => a.getJson<{ status: string; error: string | null }>(`/api/workspaces/beta/runs/${id}`);
    const runIs = (status: string) => async () => ((await onA()).status === status ? true : undefined);
    await eventually('A to see the run running', runIs('running'), 5000);
    // A and B are alive and see C alive: the run stays running on its server.
    await new Promise((resolve) => setTimeout(resolve, 2500));
    expect((await onA()).status).toBe('running');

    c.process.child.kill('SIGKILL');
    await c.process.exited;
    const killed = performance.now();
    await eventually('A to mark the run interrupted', runIs('interrupted'), 15_000);
    expect(performance.now() - killed).toBeLessThan(15_000);
    expect((await onA()).error).toContain('The server stopped while this run was running');
  }, 60_000);
});
