// Two whole server processes on one PostgreSQL: a schedule created, changed or deleted through one server reaches
// the scheduler of the other at once, not at its next restart.
import pg from 'pg';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { eventually } from '../sandbox/testing.ts';
import { startReplicaCluster, type ReplicaCluster } from '../testing/replica-cluster.ts';

let cluster: ReplicaCluster;
let admin: pg.Client;

beforeAll(async () => {
  cluster = await startReplicaCluster({ workspaces: [{ name: 'alpha', runCommand: ['true'] }], plugins: 'shared' });
  admin = new pg.Client({ connectionString: cluster.databaseUrl });
  await admin.connect();
}, 60_000);
afterAll(async () => {
  await admin?.end();
  await cluster?.destroy();
});

async function runsSince(schedule: string, since: string): Promise<number> {
  const result = await admin.query('SELECT COUNT(*)::int AS n FROM runs WHERE schedule_id = $1 AND created_at > $2', [
    schedule,
    since,
  ]);
  return result.rows[0].n as number;
}

/** Waits until the schedule started at least two runs after `since`. */
const twoRunsSince = (schedule: string, since: string) =>
  eventually(`two runs after ${since}`, async () => ((await runsSince(schedule, since)) >= 2 ? true : undefined), 5000);

test('a schedule created through A fires on B once A is gone; one switched off and on through B fires on C once B is gone', async () => {
  // All three run before the schedule exists: none loaded it at its start.
  const a = await cluster.start('replica-a');
  const b = await cluster.start('replica-b');
  await cluster.start('replica-c');
  const created = await a.send('POST', '/api/workspaces/alpha/schedules', {
    body: { name: 'every second', cron: '* * * * * *' },
  });
  expect(created.status).toBe(201);
  const { id } = (await created.json()) as { id: string };
  await a.process.stop();
  // Only B and C can start these runs: they heard of the schedule from A, not from a restart.
  await twoRunsSince(id, new Date().toISOString());

  const change = (enabled: boolean) => b.send('PUT', `/api/workspaces/alpha/schedules/${id}`, { body: { enabled } });
  expect((await change(false)).status).toBe(200);
  // C's job stops here (at once, or at its next firing when it sees the schedule off).
  await new Promise((resolve) => setTimeout(resolve, 1500));
  expect((await change(true)).status).toBe(200);
  await b.process.stop();
  // C started no job of its own for the enabled schedule: only the change B announced can start it again.
  await twoRunsSince(id, new Date().toISOString());
}, 90_000);
