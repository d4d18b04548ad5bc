import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { startRemoteDev, type RemoteDev } from '../../../packages/cli/src/commands/dev-remote.ts';
import type { CreatedApiToken } from '../../../shared/api-tokens.schema.ts';
import { writeEchoPlugin } from './echo-plugin.ts';
import { approve, callExt, eventually } from '../../sandbox/testing.ts';
import { startTestApp, type TestApp } from '../../testing/test-app.ts';

// `workbench-plugin dev --server --token` for a plugin with a backend and no frontend, against the real app on a
// port whose dev sessions live 2 s without a heartbeat: the CLI registers at once (nothing to build), uploads
// backend/, and its heartbeat keeps the session alive well past that; Ctrl-C brings the approved backend back.

const TTL_S = 2;

let app: TestApp;
let url: string;
let team: string;
let dev: RemoteDev | undefined;

beforeAll(async () => {
  app = await startTestApp({
    env: { PLUGIN_DEV_SESSION_TTL_S: String(TTL_S) },
    prepare: (dir) => {
      chmodSync(dir, 0o755);
      writeEchoPlugin(path.join(dir, 'plugins/echo-api'), 'approved');
    },
  });
  await approve(app, 'echo-api');
  await app.server.listen({ port: 0, host: '127.0.0.1' });
  url = `http://127.0.0.1:${(app.server.server.address() as AddressInfo).port}`;
  team = mkdtempSync(path.join(os.tmpdir(), 'wb-dev-backend-only-'));
  writeEchoPlugin(team, 'dev');
}, 60_000);

afterAll(async () => {
  await dev?.stop();
  await app?.close();
  rmSync(team, { recursive: true, force: true });
});

test('a backend-only plugin runs in a dev session kept alive by the heartbeat, and Ctrl-C ends it', async () => {
  const made = await app.server.inject({
    method: 'POST',
    url: '/api/tokens',
    headers: { cookie: app.adminCookie },
    payload: { name: 'echo dev', scopes: ['plugins:dev'] },
  });
  const token = (made.json() as CreatedApiToken).token;
  const who = async () => (await callExt(app, '/api/ext/echo-api/who')).json() as { build: string };
  expect((await who()).build).toBe('approved');

  const builds: boolean[] = [];
  const backends: (string | number | undefined)[] = [];
  dev = await startRemoteDev({
    dir: team,
    server: url,
    token,
    onBuild: ({ ok }) => builds.push(ok),
    onBackend: ({ build, error }) => backends.push(build ?? error),
  });
  expect(dev.entry).toBeUndefined();
  expect(builds).toEqual([]);
  expect(backends).toEqual([1]);
  expect((await who()).build).toBe('dev');

  // Three lifetimes later the session still serves: the CLI's heartbeat kept it.
  await new Promise((resolve) => setTimeout(resolve, 3 * TTL_S * 1000));
  expect((await who()).build).toBe('dev');

  await dev.stop();
  dev = undefined;
  await eventually('the approved backend again', async () => ((await who()).build === 'approved' ? true : undefined));
}, 60_000);
