import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { createTestDatabase } from '../../server/testing/postgres.ts';
import { startPostgresCluster } from '../../server/testing/postgres-cluster.ts';
import { startServerProcess, type ServerProcess } from '../../server/testing/server-process.ts';
import { ADMIN_PASSWORD, tempDir, type BenchRow } from './support.ts';

const REPLICAS = 3;
const TICKS = 100;

/**
 * Issue 14's B11: three server processes on one throwaway PostgreSQL all hold a schedule firing every second; after
 * 100 firings, every firing second between the first and the last started exactly one run.
 */
export async function benchReplicaSchedules(): Promise<BenchRow> {
  const dir = tempDir('wb-bench-b11-');
  const cluster = await startPostgresCluster();
  const servers: ServerProcess[] = [];
  const databaseUrl = await createTestDatabase(cluster.url());
  const client = new pg.Client({ connectionString: databaseUrl });
  try {
    mkdirSync(path.join(dir, 'ws/target'), { recursive: true });
    writeFileSync(
      path.join(dir, 'workbench.config.json'),
      JSON.stringify({ workspaces: [{ name: 'alpha', projectDir: path.join(dir, 'ws'), runCommand: ['true'] }] }),
    );
    const env = (name: string) => ({
      DATABASE_URL: databaseUrl,
      WORKBENCH_DATA_DIR: path.join(dir, name),
      PLUGINS_DIRECTORY: path.join(dir, 'plugins'),
      WORKBENCH_CONFIG: path.join(dir, 'workbench.config.json'),
      WORKBENCH_ADMIN_PASSWORD: ADMIN_PASSWORD,
      PLUGINS_WATCH: 'false',
    });
    await client.connect();
    const first = await startServerProcess({ env: env('r0'), readyTimeoutMs: 60_000 });
    servers.push(first);
    const cookie = await first.signIn('admin', ADMIN_PASSWORD);
    const created = await fetch(`${first.url}/api/workspaces/alpha/schedules`, {
      method: 'POST',
      headers: { cookie, origin: first.url, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'every second', cron: '* * * * * *' }),
    });
    if (created.status !== 201) throw new Error(`creating the schedule answered ${created.status}`);
    const { id } = (await created.json()) as { id: string };
    for (let i = 1; i < REPLICAS; i++)
      servers.push(await startServerProcess({ env: env(`r${i}`), readyTimeoutMs: 60_000 }));
    // Counted from the first firing after every replica is up.
    const since = new Date(Math.ceil(Date.now() / 1000) * 1000 + 1000).toISOString();
    const count = async (sql: string) => (await client.query(sql, [id, since])).rows[0].n as number;
    while (
      (await count('SELECT COUNT(*)::int AS n FROM schedule_firings WHERE schedule_id = $1 AND fire_at >= $2')) < TICKS
    )
      await new Promise((resolve) => setTimeout(resolve, 200));
    await fetch(`${first.url}/api/workspaces/alpha/schedules/${id}`, {
      method: 'PUT',
      headers: { cookie, origin: first.url, 'content-type': 'application/json' },
      body: JSON.stringify({ enabled: false }),
    });
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
    await Promise.all(servers.map((s) => s.stop()));
    cluster.destroy();
    rmSync(dir, { recursive: true, force: true });
  }
}
