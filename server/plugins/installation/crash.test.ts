// Kill-and-restart: the real server in a child process, killed with SIGKILL at named steps of install, update,
// approve and remove (WORKBENCH_TEST_CRASH_AT, see crash.ts), then started again. After every restart the state
// must be the one before or after the action, never in between, with no orphan files.
import type { ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { packageLayout } from './layout.ts';
import { pluginZip } from './testing.ts';
import { startServerProcess } from '../../testing/server-process.ts';

const PASSWORD = 'crash-test-password';
let dir: string;
let running: ChildProcess | undefined;

beforeAll(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'wb-crash-'));
  mkdirSync(path.join(dir, 'plugins'));
  mkdirSync(path.join(dir, 'ws', 'target'), { recursive: true });
  writeFileSync(
    path.join(dir, 'workbench.config.json'),
    JSON.stringify({ workspaces: [{ name: 'alpha', projectDir: path.join(dir, 'ws') }] }),
  );
});
afterAll(() => {
  running?.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

interface Server {
  url: string;
  cookie: string;
  exited: Promise<NodeJS.Signals | number | null>;
  stop(): Promise<void>;
}

/** Starts the server with this test's dirs (dying at `crashAt` when given), and signs in as the admin. */
async function startServer(crashAt?: string): Promise<Server> {
  const server = await startServerProcess({
    env: {
      PLUGINS_DIRECTORY: path.join(dir, 'plugins'),
      WORKBENCH_DATA_DIR: path.join(dir, 'data'),
      WORKBENCH_CONFIG: path.join(dir, 'workbench.config.json'),
      WORKBENCH_ADMIN_PASSWORD: PASSWORD,
      SHELL_DIST_DIR: path.join(dir, 'no-shell'),
      PLUGINS_WATCH: 'false',
      WORKBENCH_TEST_CRASH_AT: crashAt ?? '',
    },
    // A machine running test files side by side starts a server slowly.
    readyTimeoutMs: 60_000,
  });
  running = server.child;
  return {
    url: server.url,
    cookie: await server.signIn('admin', PASSWORD),
    exited: server.exited,
    async stop() {
      await server.stop();
      running = undefined;
    },
  };
}

type Request = { method: string; path: string; zip?: Buffer; json?: unknown };

function send(server: Server, request: Request): Promise<Response> {
  const body = request.zip ?? (request.json === undefined ? undefined : JSON.stringify(request.json));
  const type = request.zip ? 'application/zip' : 'application/json';
  return fetch(`${server.url}${request.path}`, {
    method: request.method,
    headers: { cookie: server.cookie, ...(body === undefined ? {} : { 'content-type': type }) },
    ...(body === undefined ? {} : { body: new Uint8Array(body instanceof Buffer ? body : Buffer.from(body)) }),
  });
}

/** Starts a server that dies at `step`, sends the request that reaches it, and waits for the SIGKILL. */
async function crashAt(step: string, request: Request): Promise<void> {
  const server = await startServer(step);
  const answer = await send(server, request).then(
    async (r) => `${r.status} ${await r.text()}`,
    () => 'no answer',
  );
  expect(answer, `the server should have died at ${step}`).toBe('no answer');
  expect(await server.exited).toBe('SIGKILL');
  running = undefined;
}

interface State {
  version: string | null;
  state: string | null;
  pending: string | null;
  previousVersion: string | null;
  installs: number;
}

/** The plugin's state as the API reports it after a clean restart, with the proof that no orphan file is left. */
async function stateAfterRestart(): Promise<{ server: Server; state: State }> {
  const server = await startServer();
  const detail = await send(server, { method: 'GET', path: '/api/plugins/owners' });
  const plugin = detail.status === 200 ? ((await detail.json()) as { version: string; state: string }) : undefined;
  const installations = (await (
    await send(server, { method: 'GET', path: '/api/marketplace/installations' })
  ).json()) as {
    installations: { name: string; pending?: { version: string }; previousVersion: string | null }[];
  };
  const installation = installations.installations.find((i) => i.name === 'owners');
  const audit = (await (await send(server, { method: 'GET', path: '/api/audit?action=plugin.install' })).json()) as {
    entries: unknown[];
  };
  const layout = packageLayout(path.join(dir, 'data'), path.join(dir, 'plugins'));
  const list = (p: string) => (existsSync(p) ? readdirSync(p) : []);
  expect(list(layout.staging), 'staging').toEqual([]);
  expect(list(layout.trash), 'trash').toEqual([]);
  expect(
    list(layout.pluginsDirectory).filter((n) => n !== 'owners'),
    'plugins',
  ).toEqual([]);
  expect(list(layout.pending)).toEqual(installation?.pending ? ['owners'] : []);
  return {
    server,
    state: {
      version: plugin?.version ?? null,
      state: plugin?.state ?? null,
      pending: installation?.pending?.version ?? null,
      previousVersion: installation?.previousVersion ?? null,
      installs: audit.entries.length,
    },
  };
}

async function expectState(expected: Partial<State>): Promise<Server> {
  const { server, state } = await stateAfterRestart();
  expect(state).toMatchObject(expected);
  return server;
}

function journalIsEmpty(): void {
  const db = new DatabaseSync(path.join(dir, 'data', 'workbench.sqlite'));
  try {
    expect(db.prepare('SELECT COUNT(*) AS n FROM plugin_operations').get()).toEqual({ n: 0 });
  } finally {
    db.close();
  }
}

const v1 = pluginZip('owners', { capabilities: ['read-metadata'] });
const v11 = pluginZip('owners', { version: '1.1.0', capabilities: ['read-metadata'] });
const v2 = pluginZip('owners', { version: '2.0.0', capabilities: ['read-metadata', 'extend-api'] });
const install: Request = { method: 'POST', path: '/api/plugins/install', zip: v1 };

describe('kill -9 during plugin operations, then restart', { timeout: 300_000 }, () => {
  test('install: killed before the move it leaves nothing; killed after it, the install is completed', async () => {
    for (const step of ['install:staging', 'install:journaled']) {
      await crashAt(step, install);
      const server = await expectState({ version: null, installs: 0 });
      await server.stop();
    }
    await crashAt('install:moved-1', install);
    const server = await expectState({ version: '1.0.0', state: 'pending-approval', installs: 1 });
    expect(
      (await send(server, { method: 'POST', path: '/api/plugins/owners/approve', json: { version: '1.0.0' } })).status,
    ).toBe(200);
    await server.stop();
    journalIsEmpty();
  });

  test('update without new capabilities: before the new folder is in place, the old one is back', async () => {
    const update: Request = { method: 'POST', path: '/api/plugins/owners/update', zip: v11 };
    await crashAt('activate:journaled', update);
    await (await expectState({ version: '1.0.0', state: 'active', previousVersion: null })).stop();
    await crashAt('activate:moved-1', update);
    await (await expectState({ version: '1.0.0', state: 'active', previousVersion: null })).stop();
    await crashAt('activate:moved-2', update);
    await (await expectState({ version: '1.1.0', state: 'active', previousVersion: '1.0.0' })).stop();
    journalIsEmpty();
  });

  test('update with a new capability: staged completely or not at all; the old version stays active', async () => {
    const update: Request = { method: 'POST', path: '/api/plugins/owners/update', zip: v2 };
    await crashAt('update:staging', update);
    await (await expectState({ version: '1.1.0', state: 'active', pending: null })).stop();
    await crashAt('stage-update:journaled', update);
    await (await expectState({ version: '1.1.0', state: 'active', pending: null })).stop();
    await crashAt('stage-update:moved-1', update);
    await (await expectState({ version: '1.1.0', state: 'active', pending: '2.0.0' })).stop();
    journalIsEmpty();
  });

  test('approving the pending update: the swap happens whole or not at all', async () => {
    const approve: Request = { method: 'POST', path: '/api/plugins/owners/update/approve', json: { version: '2.0.0' } };
    for (const step of ['activate:moved-1', 'activate:moved-2']) {
      await crashAt(step, approve);
      await (
        await expectState({ version: '1.1.0', state: 'active', pending: '2.0.0', previousVersion: '1.0.0' })
      ).stop();
    }
    await crashAt('activate:moved-3', approve);
    await (await expectState({ version: '2.0.0', state: 'active', pending: null, previousVersion: '1.1.0' })).stop();
    journalIsEmpty();
  });

  test('remove: the plugin stays whole until every folder is gone, then its records go too', async () => {
    const remove: Request = { method: 'DELETE', path: '/api/plugins/owners' };
    for (const step of ['remove:journaled', 'remove:moved-1']) {
      await crashAt(step, remove);
      await (await expectState({ version: '2.0.0', state: 'active', previousVersion: '1.1.0' })).stop();
    }
    await crashAt('remove:moved-2', remove);
    const server = await expectState({ version: null, previousVersion: null });
    const removals = await send(server, { method: 'GET', path: '/api/audit?action=plugin.remove' });
    expect(((await removals.json()) as { entries: unknown[] }).entries).toHaveLength(1);
    await server.stop();
    journalIsEmpty();
    const db = new DatabaseSync(path.join(dir, 'data', 'workbench.sqlite'));
    expect(db.prepare("SELECT COUNT(*) AS n FROM plugin_approvals WHERE name = 'owners'").get()).toEqual({ n: 0 });
    db.close();
  });

  test('install killed after the commit: installed, with no staging left', async () => {
    await crashAt('install:committed', install);
    await (await expectState({ version: '1.0.0', state: 'pending-approval' })).stop();
  });

  test('approve and enable killed at any moment: the plugin is either before or after, never half-approved', async () => {
    for (const delayMs of [0, 3, 10]) {
      const server = await startServer();
      const approving = send(server, {
        method: 'POST',
        path: '/api/plugins/owners/approve',
        json: { version: '1.0.0' },
      });
      const disabling = send(server, { method: 'POST', path: '/api/plugins/owners/disable' });
      await new Promise((resolve) => setTimeout(resolve, delayMs));
      running?.kill('SIGKILL');
      await Promise.allSettled([approving, disabling]);
      await server.exited;
      const after = await startServer();
      const plugin = (await (await send(after, { method: 'GET', path: '/api/plugins/owners' })).json()) as {
        state: string;
        approvedCapabilities: string[];
      };
      expect(['pending-approval', 'active', 'disabled']).toContain(plugin.state);
      expect([[], ['read-metadata']]).toContainEqual(plugin.approvedCapabilities);
      await send(after, { method: 'POST', path: '/api/plugins/owners/enable' });
      await after.stop();
    }
  });
});
