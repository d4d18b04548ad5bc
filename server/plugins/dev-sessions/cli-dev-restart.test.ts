import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, expect, test } from 'vitest';
import { startRemoteDev, type RemoteDev } from '../../../packages/cli/src/commands/dev-remote.ts';
import type { CreatedApiToken } from '../../../shared/api-tokens.schema.ts';
import { writeEchoPlugin } from './echo-plugin.ts';
import { eventually } from '../../sandbox/testing.ts';
import { freePort, startServerProcess, type ServerProcess } from '../../testing/server-process.ts';
import { writeWorkspacesFile } from '../../testing/workspaces-file.ts';

// The server that runs a developer's backend dev slot restarts while `workbench-plugin dev --server` runs: the
// developer's calls are refused with why (never sent to the approved backend), and the CLI's next heartbeat hears
// that the slot was lost and uploads backend/ again, so the dev build answers without the developer doing anything.

const PASSWORD = 'dev-restart-password';

const dir = mkdtempSync(path.join(os.tmpdir(), 'wb-dev-restart-'));
let server: ServerProcess | undefined;
let dev: RemoteDev | undefined;
afterAll(async () => {
  await dev?.stop();
  await server?.stop();
  rmSync(dir, { recursive: true, force: true });
});

test('after a restart of the server running the dev slot, the CLI uploads backend/ again by itself', async () => {
  // Opened to other users, as a real install is, so backends may run under their own user id.
  chmodSync(dir, 0o755);
  const config = writeWorkspacesFile(dir, [{ name: 'default' }]);
  writeEchoPlugin(path.join(dir, 'plugins', 'echo-api'), 'approved');
  const team = path.join(dir, 'team');
  writeEchoPlugin(team, 'dev');
  const port = await freePort();
  const start = () =>
    startServerProcess({
      port,
      readyTimeoutMs: 60_000,
      env: {
        WORKBENCH_CONFIG: config,
        WORKBENCH_DATA_DIR: path.join(dir, 'data'),
        PLUGINS_DIRECTORY: path.join(dir, 'plugins'),
        SHELL_DIST_DIR: path.join(dir, 'no-shell'),
        WORKBENCH_ADMIN_PASSWORD: PASSWORD,
        PLUGINS_WATCH: 'false',
        PLUGIN_AUTO_APPROVE: 'extend-api',
        // The CLI beats every second.
        PLUGIN_DEV_SESSION_TTL_S: '4',
      },
    });
  server = await start();
  const cookie = await server.signIn('admin', PASSWORD);
  const made = await fetch(`${server.url}/api/tokens`, {
    method: 'POST',
    headers: { cookie, origin: server.url, 'content-type': 'application/json' },
    body: JSON.stringify({ name: 'echo dev', scopes: ['plugins:dev'] }),
  });
  expect(made.status).toBe(201);
  const { token } = (await made.json()) as CreatedApiToken;
  const who = async () => {
    const response = await fetch(`${server!.url}/api/ext/echo-api/who`, {
      headers: { cookie, 'x-workbench-workspace': 'default' },
    });
    return {
      status: response.status,
      body: (await response.json()) as { build?: string; error?: { message: string } },
    };
  };
  await eventually('the approved backend', async () => ((await who()).body.build === 'approved' ? true : undefined));

  const uploads: (number | string | undefined)[] = [];
  dev = await startRemoteDev({
    dir: team,
    server: server.url,
    token,
    onBuild: () => {},
    onBackend: ({ build, error }) => uploads.push(build ?? error),
  });
  expect(uploads).toEqual([1]);
  expect((await who()).body.build).toBe('dev');

  await server.stop();
  server = await start();
  // The CLI's next heartbeat hears the slot was lost and uploads backend/ again: the dev build answers.
  const answers = await eventually('the dev build again', async () => {
    const answer = await who();
    return answer.body.build === 'dev' ? answer : undefined;
  });
  expect(answers.status).toBe(200);
  expect(uploads).toEqual([1, 1]);
}, 120_000);
