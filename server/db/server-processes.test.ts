// Whole server processes on one data folder or one database: what an operator sees when they start a second
// server on the same folder, start replicas at once on a fresh PostgreSQL, or lose the database.
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createTestDatabase } from '../testing/postgres.ts';
import { startPostgresCluster, type PostgresCluster } from '../testing/postgres-cluster.ts';
import { openPostgresDatabase } from './postgres.ts';
import { freePort, startServerProcess, type ServerProcess } from '../testing/server-process.ts';

const PASSWORD = 'processes-test-password';
let dir: string;
let cluster: PostgresCluster;
const running: ServerProcess[] = [];

beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'wb-processes-'));
  mkdirSync(path.join(dir, 'ws/target'), { recursive: true });
  mkdirSync(path.join(dir, 'plugins'));
  writeFileSync(
    path.join(dir, 'workbench.config.json'),
    JSON.stringify({ workspaces: [{ name: 'alpha', projectDir: path.join(dir, 'ws') }] }),
  );
  cluster = await startPostgresCluster();
}, 60_000);
afterAll(async () => {
  await Promise.all(running.map((s) => s.stop()));
  cluster?.destroy();
  rmSync(dir, { recursive: true, force: true });
});

function envFor(dataFolder: string, extra: Record<string, string> = {}): Record<string, string> {
  return {
    WORKBENCH_DATA_DIR: path.join(dir, dataFolder),
    PLUGINS_DIRECTORY: path.join(dir, 'plugins'),
    WORKBENCH_CONFIG: path.join(dir, 'workbench.config.json'),
    WORKBENCH_ADMIN_PASSWORD: PASSWORD,
    PLUGINS_WATCH: 'false',
    ...extra,
  };
}

async function start(env: Record<string, string>): Promise<ServerProcess> {
  const server = await startServerProcess({ env, readyTimeoutMs: 60_000 });
  running.push(server);
  return server;
}

/** The error a start ends with: startServerProcess throws with the process's stderr when it exits. */
async function refusal(env: Record<string, string>): Promise<string> {
  const outcome = await start(env).then(
    () => 'it started',
    (error: Error) => error.message,
  );
  return outcome;
}

describe('one data folder, one server', () => {
  test('a second server on the same SQLite folder refuses to start, naming the first, and deletes none of its work', async () => {
    const first = await start(envFor('shared'));
    // An install of the first server, mid-way: its staging folder.
    const staged = path.join(dir, 'shared/plugin-packages/staging/op-in-flight');
    mkdirSync(staged, { recursive: true });
    writeFileSync(path.join(staged, 'plugin.json'), '{}');

    const message = await refusal(envFor('shared'));
    expect(message).toContain(`The data folder ${path.join(dir, 'shared')} (WORKBENCH_DATA_DIR) is in use`);
    expect(message).toContain(`pid ${first.child.pid}`);
    expect(existsSync(path.join(staged, 'plugin.json'))).toBe(true);
    expect((await fetch(`${first.url}/api/info`)).status).toBe(200);

    // A server that died without cleaning up leaves no lock behind: the next one starts.
    first.child.kill('SIGKILL');
    await first.exited;
    const next = await start(envFor('shared'));
    expect((await fetch(`${next.url}/api/info`)).status).toBe(200);
    await next.stop();
  }, 120_000);
});

describe('PostgreSQL (DATABASE_URL)', () => {
  test('two servers starting at once on a fresh database both come up, with one first admin', async () => {
    const databaseUrl = await createTestDatabase(cluster.url());
    const [a, b] = await Promise.all([
      start(envFor('replica-a', { DATABASE_URL: databaseUrl })),
      start(envFor('replica-b', { DATABASE_URL: databaseUrl })),
    ]);
    const cookieA = await a.signIn('admin', PASSWORD);
    const cookieB = await b.signIn('admin', PASSWORD);
    // A user made through one server signs in through the other: one database behind both.
    const created = await fetch(`${a.url}/api/users`, {
      method: 'POST',
      headers: { cookie: cookieA, 'content-type': 'application/json', origin: a.url },
      body: JSON.stringify({ username: 'dana', password: 'dana-password-123', roles: { alpha: 'viewer' } }),
    });
    expect(created.status).toBe(201);
    await b.signIn('dana', 'dana-password-123');
    const users = (await (await fetch(`${b.url}/api/users`, { headers: { cookie: cookieB } })).json()) as {
      users?: { username: string }[];
    };
    expect(JSON.stringify(users)).toContain('"dana"');
    const client = new pg.Client({ connectionString: databaseUrl });
    await client.connect();
    const admins = await client.query("SELECT COUNT(*)::int AS n FROM users WHERE username = 'admin'");
    await client.end();
    expect(admins.rows[0].n).toBe(1);
    await Promise.all([a.stop(), b.stop()]);
  }, 120_000);

  test('an unreachable database stops the start with a message naming DATABASE_URL, its password masked', async () => {
    const port = await freePort();
    const message = await refusal(
      envFor('unreachable', { DATABASE_URL: `postgres://workbench:s3cret-pw@127.0.0.1:${port}/workbench` }),
    );
    expect(message).toContain(
      `Cannot connect to the PostgreSQL database in DATABASE_URL (postgres://workbench:***@127.0.0.1:${port}/workbench)`,
    );
    expect(message).toContain('ECONNREFUSED');
    expect(message).not.toContain('s3cret-pw');
  });

  test('a database lost at run time gives JSON 503s, and the server recovers by itself when it returns', async () => {
    const server = await start(envFor('loses-db', { DATABASE_URL: await createTestDatabase(cluster.url()) }));
    const cookie = await server.signIn('admin', PASSWORD);
    const me = () => fetch(`${server.url}/api/auth/me`, { headers: { cookie } });
    expect((await me()).status).toBe(200);

    cluster.stop();
    try {
      const lost = await me();
      expect(lost.status).toBe(503);
      expect(await lost.json()).toEqual({
        error: { code: 'service_unavailable', message: 'The database is not reachable right now; retry in a moment.' },
      });
      expect((await fetch(`${server.url}/api/info`)).status).toBe(200);
      // Its background work (log writing, schedules) meets the missing database too and must not end it.
      await new Promise((resolve) => setTimeout(resolve, 3000));
      expect(server.child.exitCode).toBeNull();
      expect((await me()).status).toBe(503);
    } finally {
      cluster.start();
    }
    const deadline = Date.now() + 15_000;
    let status = 0;
    while (Date.now() < deadline && status !== 200) {
      status = (await me()).status;
      if (status !== 200) await new Promise((resolve) => setTimeout(resolve, 200));
    }
    // The same session still works: nothing was lost but the connection.
    expect(status).toBe(200);
    expect(server.stderr()).not.toContain('Unhandled');
    await server.stop();
  }, 120_000);
});

describe('notifications between connections (the seam for several servers on one database)', () => {
  test('a NOTIFY reaches a listener on another pool; after the database was away, the listener is back and told so', async () => {
    const databaseUrl = await createTestDatabase(cluster.url());
    const sender = await openPostgresDatabase(databaseUrl);
    const receiver = await openPostgresDatabase(databaseUrl);
    const heard: string[] = [];
    let reconnects = 0;
    await receiver.listen('plugin_changes', {
      message: (payload) => heard.push(payload),
      reconnected: () => reconnects++,
    });
    const until = async (check: () => boolean, ms: number) => {
      const deadline = Date.now() + ms;
      while (!check() && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
      return check();
    };

    await sender.notify('plugin_changes', 'disabled:model-notes');
    expect(await until(() => heard.length === 1, 1000)).toBe(true);
    expect(heard).toEqual(['disabled:model-notes']);
    await expect(sender.notify('Robert"); DROP TABLE users; --', 'x')).rejects.toThrow('not a notification channel');

    cluster.stop();
    cluster.start();
    expect(await until(() => reconnects === 1, 15_000)).toBe(true);
    await expect
      .poll(async () => {
        await sender.notify('plugin_changes', 'enabled:model-notes').catch(() => undefined);
        return heard.includes('enabled:model-notes');
      })
      .toBe(true);
    await sender.close();
    await receiver.close();
  }, 60_000);
});
