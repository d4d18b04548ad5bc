// The authoring guide's path from nothing to a deployed plugin, run word for word (its `sh guide-test` blocks)
// outside the repository on the system's Node, with the packed SDK and CLI, against the real server in a child
// process: a drift between the guide and the tools fails here. Then what the guide promises of the deploy: the
// version waits for approval, the admin approves it and it runs; a revoked token is refused, saying so.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { guideBlocks } from './guide/blocks.ts';
import { guideFile, packKit, runGuide, startTeamServer, systemNode, type TeamServer } from './guide/team-flow.ts';

let server: TeamServer;
let kit: { sdk: string; cli: string };
const leftovers: string[] = [];

/** A port nothing listens on now. */
function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

beforeAll(async () => {
  const kitDir = mkdtempSync(path.join(os.tmpdir(), 'wb-kit-'));
  leftovers.push(kitDir);
  kit = packKit(kitDir);
  server = await startTeamServer(await freePort(), { PLUGIN_SANDBOX_OS_LAYERS: 'false' });
}, 180_000);

afterAll(async () => {
  await server?.stop();
  for (const dir of leftovers) rmSync(dir, { recursive: true, force: true });
}, 60_000);

test('the guide marks its create, test, build and deploy commands to be run', () => {
  const script = guideBlocks(readFileSync(guideFile, 'utf8')).join('\n');
  for (const command of ['workbench-plugin create', 'npm install', 'npm test', 'npm run build', 'deploy --server'])
    expect(script).toContain(command);
});

test('a team follows the guide: create, install, test, build, deploy with a token; the admin approves; it runs', async () => {
  const { token, id } = (await server.admin('POST', '/api/tokens', {
    name: 'team ci',
    scopes: ['plugins:deploy'],
  })) as {
    token: string;
    id: string;
  };
  const run = runGuide({ ...kit, server: server.url, token });
  leftovers.push(run.cwd);
  expect(run.status, run.output.slice(-4000)).toBe(0);
  expect(run.output).toMatch(/Tests\s+\d+ passed/);
  expect(run.output).toContain('team-widget@0.1.0 is valid');
  expect(run.output).toContain(`installed team-widget@0.1.0 on ${server.url}: pending-approval`);
  expect(run.output).toContain('Serve its own HTTP routes under /api/ext/<plugin>/');

  expect(await server.admin('GET', '/api/plugins/team-widget')).toMatchObject({
    version: '0.1.0',
    state: 'pending-approval',
  });
  const audit = await server.admin('GET', '/api/audit?target=team-widget');
  expect(JSON.stringify(audit)).toContain('"actorName":"token:team ci"');
  // Switched on: `loading` while its backend starts, `active` once it answers; the route call below proves it runs.
  expect(await server.admin('POST', '/api/plugins/team-widget/approve', { version: '0.1.0' })).toMatchObject({
    state: expect.stringMatching(/^(loading|active)$/),
  });
  const hello = await fetch(`${server.url}/api/ext/team-widget/hello`, {
    headers: { cookie: server.adminCookie, 'x-workbench-workspace': 'team' },
  });
  expect(hello.status, await hello.clone().text()).toBe(200);

  // The next version, as the guide says: raise the version, deploy again; it asks for nothing new, so it runs.
  const project = path.join(run.cwd, 'team-widget');
  const manifestFile = path.join(project, 'manifest.json');
  writeFileSync(manifestFile, readFileSync(manifestFile, 'utf8').replace('"version": "0.1.0"', '"version": "0.1.1"'));
  const cli = (secret: string) =>
    spawnSync(
      systemNode,
      ['node_modules/@dbt-workbench/cli/dist/bin.js', 'deploy', '--server', server.url, '--token', secret],
      {
        cwd: project,
        encoding: 'utf8',
      },
    );
  const next = cli(token);
  expect(next.stdout, next.stderr).toContain(`updated team-widget@0.1.1 on ${server.url}: active`);

  await server.admin('DELETE', `/api/tokens/${id}`);
  const revoked = cli(token);
  expect(revoked.status).toBe(1);
  expect(revoked.stderr).toContain('the server refused the token (401 token_invalid)');
  expect(revoked.stderr).toContain('"team ci" was revoked');
}, 600_000);
