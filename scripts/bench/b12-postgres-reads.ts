import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { createTestDatabase } from '../../server/testing/postgres.ts';
import { startPostgresCluster } from '../../server/testing/postgres-cluster.ts';
import { startServerProcess, type ServerProcess } from '../../server/testing/server-process.ts';
import { ADMIN_PASSWORD, median, ms, tempDir, type BenchRow } from './support.ts';

const ROUNDS = 200;
const TARGET_RATIO = 1.3;
const ROUTES = [
  '/api/auth/me',
  '/api/users',
  '/api/audit',
  '/api/plugins',
  '/api/workspaces/alpha/runs',
  '/api/workspaces/alpha/schedules',
];

/**
 * Issue 14's B12: the core read routes on PostgreSQL and on SQLite, two server processes given the same data
 * (30 users, 10 schedules, their audit entries), called in turn one request at a time; p50 per route and over all.
 */
export async function benchPostgresReads(): Promise<BenchRow> {
  const dir = tempDir('wb-bench-b12-');
  const cluster = await startPostgresCluster();
  const servers: ServerProcess[] = [];
  try {
    mkdirSync(path.join(dir, 'ws/target'), { recursive: true });
    mkdirSync(path.join(dir, 'plugins'));
    writeFileSync(
      path.join(dir, 'workbench.config.json'),
      JSON.stringify({ workspaces: [{ name: 'alpha', projectDir: path.join(dir, 'ws') }] }),
    );
    const env = (name: string, extra: Record<string, string>) => ({
      WORKBENCH_DATA_DIR: path.join(dir, name),
      PLUGINS_DIRECTORY: path.join(dir, 'plugins'),
      WORKBENCH_CONFIG: path.join(dir, 'workbench.config.json'),
      WORKBENCH_ADMIN_PASSWORD: ADMIN_PASSWORD,
      PLUGINS_WATCH: 'false',
      ...extra,
    });
    const sqlite = await startServerProcess({ env: env('sqlite', {}), readyTimeoutMs: 60_000 });
    servers.push(sqlite);
    const databaseUrl = await createTestDatabase(cluster.url());
    const postgres = await startServerProcess({
      env: env('pg', { DATABASE_URL: databaseUrl }),
      readyTimeoutMs: 60_000,
    });
    servers.push(postgres);
    const sides = await Promise.all(
      [sqlite, postgres].map(async (server) => {
        const cookie = await server.signIn('admin', ADMIN_PASSWORD);
        const post = (route: string, body: unknown) =>
          fetch(`${server.url}${route}`, {
            method: 'POST',
            headers: { cookie, origin: server.url, 'content-type': 'application/json' },
            body: JSON.stringify(body),
          });
        for (let i = 0; i < 30; i++)
          await post('/api/users', {
            username: `user${i}`,
            password: `password-${i}-long`,
            roles: { alpha: 'viewer' },
          });
        for (let i = 0; i < 10; i++)
          await post('/api/workspaces/alpha/schedules', { name: `nightly ${i}`, cron: `${i} 2 * * *` });
        return { server, cookie, latencies: new Map(ROUTES.map((r) => [r, [] as number[]])) };
      }),
    );
    for (let round = 0; round < ROUNDS; round++) {
      for (const route of ROUTES) {
        for (const side of sides) {
          const started = performance.now();
          const answer = await fetch(`${side.server.url}${route}`, { headers: { cookie: side.cookie } });
          await answer.arrayBuffer();
          if (answer.status !== 200) throw new Error(`${route} answered ${answer.status}`);
          if (round >= 10) side.latencies.get(route)!.push(performance.now() - started);
        }
      }
    }
    const [lite, pg] = sides.map((side) => ({
      perRoute: ROUTES.map((r) => median(side.latencies.get(r)!)),
      all: median([...side.latencies.values()].flat()),
    }));
    const ratio = pg!.all / lite!.all;
    const ratios = ROUTES.map((route, i) => ({ route, ratio: pg!.perRoute[i]! / lite!.perRoute[i]! }));
    for (const [i, { route, ratio }] of ratios.entries())
      console.log(`B12 ${route}: ${ms(pg!.perRoute[i]!)} vs ${ms(lite!.perRoute[i]!)} = ${ratio.toFixed(2)}x`);
    const worst = ratios.reduce((a, b) => (b.ratio > a.ratio ? b : a));
    return {
      id: 'B12',
      what: `core read routes (${ROUTES.join(', ')}) on PostgreSQL vs SQLite, same data, ${ROUNDS} rounds one request at a time: p50`,
      result: `p50 ${ms(pg!.all)} vs ${ms(lite!.all)} = ${ratio.toFixed(2)}x (worst route ${worst.route}: ${worst.ratio.toFixed(2)}x)`,
      target: `at most ${TARGET_RATIO}x`,
      pass: ratio <= TARGET_RATIO,
    };
  } finally {
    await Promise.all(servers.map((s) => s.stop()));
    cluster.destroy();
    rmSync(dir, { recursive: true, force: true });
  }
}
