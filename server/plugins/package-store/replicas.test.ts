// Two whole server processes on a throwaway PostgreSQL, each with its own data folder and PLUGINS_DIRECTORY, as
// replicas behind one address run. A plugin installed through A reaches B by the package store; replica A is
// killed (SIGKILL, WORKBENCH_TEST_CRASH_AT) in the middle of an install, an update, an approval and a rollback:
// B serves the last consistent state throughout, and once A is back the operation is finished or undone on both.
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { eventually } from '../../sandbox/testing.ts';
import { pluginZip } from '../installation/testing.ts';
import { postgresBinaries } from '../../testing/postgres-cluster.ts';
import { startReplicaCluster, type Replica, type ReplicaCluster } from '../../testing/replica-cluster.ts';

let cluster: ReplicaCluster;
let a: Replica | undefined;
let b: Replica;

const start = (name: string, crashAt = '') =>
  cluster.start(name, { SHELL_DIST_DIR: path.join(cluster.dir, 'no-shell'), WORKBENCH_TEST_CRASH_AT: crashAt });

/** What a replica serves of the plugin: its version and state by the API, and whether its icon file is served. */
async function served(replica: Replica): Promise<{ version: string | null; state: string | null; icon: number }> {
  const detail = await replica.send('GET', '/api/plugins/owners');
  if (detail.status !== 200) return { version: null, state: null, icon: 0 };
  const plugin = (await detail.json()) as { version: string; state: string; assetsBaseUrl?: string };
  const icon = plugin.assetsBaseUrl ? (await fetch(`${replica.url}${plugin.assetsBaseUrl}static/icon.svg`)).status : 0;
  return { version: plugin.version, state: plugin.state, icon };
}

/** Polls until what `read` returns passes `check` (no wall-clock assertion: a loaded machine is slow). */
async function until<T>(read: () => Promise<T>, check: (value: T) => boolean, ms = 20_000): Promise<T> {
  let last: T | undefined;
  const passed = async () => (check((last = await read())) ? last : undefined);
  return eventually('a value that passes', passed, ms).catch((error: Error) => {
    throw new Error(`${error.message}: still ${JSON.stringify(last)}`);
  });
}

/** Restarts A dying at `step`, sends the request that reaches it, and waits for the SIGKILL. */
async function killAOn(step: string, method: string, route: string, body?: Buffer | object): Promise<void> {
  await a?.process.stop();
  a = await start('a', step);
  const answer = await a.send(method, route, { body }).then(
    (r) => `${r.status}`,
    () => 'no answer',
  );
  expect(answer, `A should have died at ${step}`).toBe('no answer');
  expect(await a.process.exited).toBe('SIGKILL');
  a = undefined;
}

/** Starts A again (it recovers its operation) and returns what each replica then serves, once they agree. */
async function restartA(): Promise<{ version: string | null; state: string | null; icon: number }> {
  a = await start('a');
  const onA = await served(a);
  const onB = await until(
    () => served(b),
    (value) => JSON.stringify(value) === JSON.stringify(onA),
  );
  const leftovers = ['staging', 'trash'].flatMap((folder) => {
    const p = path.join(cluster.dataDirectory('a'), 'plugin-packages', folder);
    return existsSync(p) ? readdirSync(p) : [];
  });
  expect(leftovers, 'staging and trash of A').toEqual([]);
  return onB;
}

/** A backend answering with the pid of the process it runs in: each replica runs its own. */
const GREETER = `export async function activate(host) {
  await host.routes.register('GET', '/hello', () => ({ body: { hello: 'world', pid: process.pid } }));
}
`;

const v1 = pluginZip('owners', { capabilities: ['read-metadata'] });
const v11 = pluginZip('owners', { version: '1.1.0', capabilities: ['read-metadata'] });
const v2 = pluginZip('owners', { version: '2.0.0', capabilities: ['read-metadata', 'extend-api'] });

// Skipped only where PostgreSQL 15 is not installed; npm test installs it, so it runs in CI.
describe.skipIf(!postgresBinaries())('plugin packages across replicas on PostgreSQL', { timeout: 180_000 }, () => {
  beforeAll(async () => {
    cluster = await startReplicaCluster({ workspaces: [{ name: 'alpha' }], plugins: 'per-replica' });
    a = await start('a');
    b = await start('b');
  }, 120_000);
  afterAll(() => cluster?.destroy());

  test('install: killed before its folder is in place it is undone; killed after, it is finished on both', async () => {
    await killAOn('install:journaled', 'POST', '/api/plugins/install', v1);
    expect(await served(b)).toEqual({ version: null, state: null, icon: 0 });
    expect(await restartA()).toEqual({ version: null, state: null, icon: 0 });

    await killAOn('install:moved-1', 'POST', '/api/plugins/install', v1);
    // Not committed: B does not show a plugin A may yet undo.
    expect(await served(b)).toEqual({ version: null, state: null, icon: 0 });
    expect(await restartA()).toMatchObject({ version: '1.0.0', state: 'pending-approval' });
    expect(readdirSync(cluster.pluginsDirectory('b'))).toEqual(['owners']);
  });

  test('an approval through A: B serves the plugin, its files included', async () => {
    expect((await a!.send('POST', '/api/plugins/owners/approve', { body: { version: '1.0.0' } })).status).toBe(200);
    expect(
      await until(
        () => served(b),
        (s) => s.state === 'active',
      ),
    ).toEqual({
      version: '1.0.0',
      state: 'active',
      icon: 200,
    });
  });

  test('update: B serves 1.0.0 until the swap on A commits, then 1.1.0', async () => {
    await killAOn('activate:moved-1', 'POST', '/api/plugins/owners/update', v11);
    expect(await served(b)).toEqual({ version: '1.0.0', state: 'active', icon: 200 });
    expect(await restartA()).toEqual({ version: '1.0.0', state: 'active', icon: 200 });

    await killAOn('activate:moved-2', 'POST', '/api/plugins/owners/update', v11);
    expect(await served(b)).toEqual({ version: '1.0.0', state: 'active', icon: 200 });
    expect(await restartA()).toEqual({ version: '1.1.0', state: 'active', icon: 200 });
  });

  test('approving a staged update: killed mid-swap, the old version stays on both', async () => {
    const staged = await a!.send('POST', '/api/plugins/owners/update', { body: v2 });
    expect(((await staged.json()) as { status: string }).status).toBe('pending-approval');
    await killAOn('activate:moved-1', 'POST', '/api/plugins/owners/update/approve', { version: '2.0.0' });
    expect(await served(b)).toEqual({ version: '1.1.0', state: 'active', icon: 200 });
    expect(await restartA()).toEqual({ version: '1.1.0', state: 'active', icon: 200 });

    // Approved through B, which never held the staged package: it fetches it from the store, and A follows.
    expect((await b.send('POST', '/api/plugins/owners/update/approve', { body: { version: '2.0.0' } })).status).toBe(
      200,
    );
    expect(
      await until(
        () => served(a!),
        (s) => s.version === '2.0.0',
      ),
    ).toEqual({
      version: '2.0.0',
      state: 'active',
      icon: 200,
    });
  });

  test('rollback: killed mid-swap it is undone on both; through B, which never kept 1.1.0, it is done on both', async () => {
    await killAOn('activate:moved-1', 'POST', '/api/plugins/owners/rollback', {});
    expect(await served(b)).toEqual({ version: '2.0.0', state: 'active', icon: 200 });
    expect(await restartA()).toEqual({ version: '2.0.0', state: 'active', icon: 200 });

    const back = await b.send('POST', '/api/plugins/owners/rollback', { body: {} });
    expect(back.status, await back.clone().text()).toBe(200);
    expect(
      await until(
        () => served(a!),
        (s) => s.version === '1.1.0',
      ),
    ).toEqual({
      version: '1.1.0',
      state: 'active',
      icon: 200,
    });
  });

  test('a backend plugin installed and approved through A answers through B, from B’s own process', async () => {
    const greeter = pluginZip('greeter', { capabilities: ['extend-api'], backend: { entry: 'index.mjs' } }, [
      { name: 'backend/' },
      { name: 'backend/index.mjs', data: GREETER },
    ]);
    expect((await a!.send('POST', '/api/plugins/install', { body: greeter })).status).toBe(201);
    expect((await a!.send('POST', '/api/plugins/greeter/approve', { body: { version: '1.0.0' } })).status).toBe(200);
    const hello = async (replica: Replica) => {
      const response = await fetch(`${replica.url}/api/ext/greeter/hello`, {
        headers: { cookie: replica.cookie, 'x-workbench-workspace': 'alpha' },
      });
      return response.status === 200 ? ((await response.json()) as { hello: string; pid: number }) : undefined;
    };
    const onB = await until(
      () => hello(b),
      (body) => body?.hello === 'world',
    );
    const onA = await until(
      () => hello(a!),
      (body) => body?.hello === 'world',
    );
    expect(onB!.pid).not.toBe(onA!.pid);
    expect((await a!.send('DELETE', '/api/plugins/greeter?confirm=true')).status).toBe(200);
  });

  test('a removal through B removes the plugin’s folders on A', async () => {
    expect((await b.send('DELETE', '/api/plugins/owners?confirm=true')).status).toBe(200);
    await until(
      async () => readdirSync(cluster.pluginsDirectory('a')),
      (names) => names.length === 0,
    );
    // A's registry reloads just after its folders go.
    expect(
      await until(
        () => served(a!),
        (s) => s.version === null,
      ),
    ).toEqual({ version: null, state: null, icon: 0 });
  });
});
