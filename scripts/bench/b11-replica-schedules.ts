import pg from 'pg';
import { startReplicaCluster } from '../../server/testing/replica-cluster.ts';
import type { BenchRow } from './support.ts';

const REPLICAS = 3;
const TICKS = 100;

/**
 * Issue 14's B11: three server processes on one throwaway PostgreSQL all hold a schedule firing every second; after
 * 100 firings, every firing second between the first and the last started exactly one run.
 */
export async function benchReplicaSchedules(): Promise<BenchRow> {
  const cluster = await startReplicaCluster({
    workspaces: [{ name: 'alpha', runCommand: ['true'] }],
    plugins: 'shared',
  });
  const client = new pg.Client({ connectionString: cluster.databaseUrl });
  try {
    await client.connect();
    const first = await cluster.start('r0');
    const created = await first.send('POST', '/api/workspaces/alpha/schedules', {
      body: { name: 'every second', cron: '* * * * * *' },
    });
    if (created.status !== 201) throw new Error(`creating the schedule answered ${created.status}`);
    const { id } = (await created.json()) as { id: string };
    for (let i = 1; i < REPLICAS; i++) await cluster.start(`r${i}`);
    // Counted from the first firing after every replica is up.
    const since = new Date(Math.ceil(Date.now() / 1000) * 1000 + 1000).toISOString();
    const count = async (sql: string) => (await client.query(sql, [id, since])).rows[0].n as number;
    while (
      (await count('SELECT COUNT(*)::int AS n FROM schedule_firings WHERE schedule_id = $1 AND fire_at >= $2')) < TICKS
    )
      await new Promise((resolve) => setTimeout(resolve, 200));
    await first.send('PUT', `/api/workspaces/alpha/schedules/${id}`, { body: { enabled: false } });
    await new Promise((resolve) => setTimeout(resolve, 1500));
    const firings = (
      await client.query(
        'SELECT fire_at, server FROM schedule_firings WHERE schedule_id = $1 AND fire_at >= $2 ORDER BY fire_at',
        [id, since],
      )
    ).rows as { fire_at: string; server: string }[];
    const runs = await count('SELECT COUNT(*)::int AS n FROM runs WHERE schedule_id = $1 AND created_at >= $2');
    const span = (Date.parse(firings.at(-1)!.fire_at) - Date.parse(firings[0]!.fire_at)) / 1000 + 1;
    const missed = span - firings.length;
    const byServer = new Set(firings.map((f) => f.server)).size;
    return {
      id: 'B11',
      what: `${REPLICAS} server processes on one PostgreSQL, a schedule firing every second: runs per firing over ${firings.length} firings`,
      result: `${runs} runs for ${firings.length} firings, ${missed} seconds missed, claimed by ${byServer} of ${REPLICAS} servers`,
      target: 'each firing runs exactly once',
      pass: runs === firings.length && missed === 0,
    };
  } finally {
    await client.end().catch(() => undefined);
    await cluster.destroy();
  }
}
