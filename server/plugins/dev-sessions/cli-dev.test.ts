import { chmodSync, cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { startRemoteDev, type RemoteDev } from '../../../packages/cli/src/commands/dev-remote.ts';
import type { CreatedApiToken } from '../../../shared/api-tokens.schema.ts';
import type { WorkspaceExtensions } from '../../../shared/api.schema.ts';
import { approve, callExt, eventually } from '../../sandbox/testing.ts';
import { startTestApp, type TestApp } from '../../testing/test-app.ts';

// `workbench-plugin dev --server --token` against the real app listening on a port: the example release-notes is
// installed and running; the team's copy of it is built and served from their machine, and only the token's admin
// gets it, with a new revision on every rebuild. Given a backend here, the team's backend/ runs in the admin's dev
// slot and follows every edit.

const repo = path.resolve(import.meta.dirname, '../../..');
let app: TestApp;
let url: string;
let team: string;
let dev: RemoteDev | undefined;

/** release-notes with a small backend answering GET /who with `build`. */
function withBackend(pluginDir: string, build: string): void {
  const file = path.join(pluginDir, 'manifest.json');
  const manifest = JSON.parse(readFileSync(file, 'utf8'));
  const { signature: _signature, ...unsigned } = {
    ...manifest,
    capabilities: ['extend-api'],
    backend: { entry: 'index.ts' },
  };
  writeFileSync(file, JSON.stringify(unsigned));
  mkdirSync(path.join(pluginDir, 'backend'), { recursive: true });
  writeFileSync(path.join(pluginDir, 'backend', 'index.ts'), backendSource(build));
}
const backendSource = (build: string) =>
  `export async function activate(host) {\n  await host.routes.register('GET', '/who', () => ({ body: { build: ${JSON.stringify(build)} } }));\n}\n`;

beforeAll(async () => {
  app = await startTestApp({
    prepare: (dir) => {
      chmodSync(dir, 0o755);
      cpSync(path.join(repo, 'plugins/release-notes'), path.join(dir, 'plugins/release-notes'), { recursive: true });
      withBackend(path.join(dir, 'plugins/release-notes'), 'approved');
    },
  });
  await approve(app, 'release-notes');
  await app.server.listen({ port: 0, host: '127.0.0.1' });
  url = `http://127.0.0.1:${(app.server.server.address() as AddressInfo).port}`;
  // Inside the repository (in an ignored folder), so the build resolves react and the SDK from its node_modules.
  mkdirSync(path.join(repo, '.test-results'), { recursive: true });
  team = mkdtempSync(path.join(repo, '.test-results/dev-session-'));
  cpSync(path.join(repo, 'plugins/release-notes'), team, {
    recursive: true,
    filter: (from) => !from.includes(`${path.sep}frontend`),
  });
  withBackend(team, 'dev');
}, 60_000);

afterAll(async () => {
  await dev?.stop();
  await app?.close();
  if (team) rmSync(team, { recursive: true, force: true });
});

async function token(scopes: string[]): Promise<string> {
  const response = await fetch(`${url}/api/tokens`, {
    method: 'POST',
    headers: { cookie: app.adminCookie, 'content-type': 'application/json' },
    body: JSON.stringify({ name: `dev ${scopes.join(' ')}`, scopes }),
  });
  return ((await response.json()) as CreatedApiToken).token;
}

async function releaseNotes(cookie: string) {
  const response = await fetch(`${url}/api/workspaces/default/extensions`, { headers: { cookie } });
  const { extensions } = (await response.json()) as WorkspaceExtensions;
  return extensions.filter((e) => e.plugin === 'release-notes');
}

async function until<T>(read: () => Promise<T>, ok: (value: T) => boolean): Promise<T> {
  for (let i = 0; i < 600; i++) {
    const value = await read();
    if (ok(value)) return value;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error('timed out');
}

test('a deploy token is refused with what to do, and nothing is left running', async () => {
  const attempt = startRemoteDev({ dir: team, server: url, token: await token(['plugins:deploy']), onBuild: () => {} });
  await expect(attempt).rejects.toThrow(/refused the dev session \(403\).*plugins:dev scope/);
}, 120_000);

test('the dev build runs for its developer only, reloads on change, and ends with the session', async () => {
  const other = await app.userWithRoles('colleague', { default: 'admin' }, true);
  const approved = await releaseNotes(other);
  expect(approved[0]!.remote!.entry).toMatch(/^\/plugins\/release-notes\//);

  const builds: boolean[] = [];
  const backends: (string | number | undefined)[] = [];
  dev = await startRemoteDev({
    dir: team,
    server: url,
    token: await token(['plugins:dev']),
    onBuild: ({ ok }) => builds.push(ok),
    onBackend: ({ build, error }) => backends.push(build ?? error),
  });
  expect(backends).toEqual([1]);
  expect(dev.entry).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/b1\/mf-manifest\.json$/);
  const served = await fetch(dev.entry!, { headers: { origin: url } });
  expect(served.status).toBe(200);
  expect(served.headers.get('access-control-allow-origin')).toBe('*');
  // A page of a server on a public address asks first before reading from loopback (Private Network Access).
  const preflight = await fetch(dev.entry!, {
    method: 'OPTIONS',
    headers: { origin: url, 'access-control-request-method': 'GET', 'access-control-request-private-network': 'true' },
  });
  expect(preflight.status).toBe(204);
  expect(preflight.headers.get('access-control-allow-private-network')).toBe('true');
  expect(await served.text()).toContain('LatestReleaseWidget');

  const mine = await releaseNotes(app.adminCookie);
  expect(mine[0]!.remote!.entry).toBe(dev.entry);
  expect(await releaseNotes(other)).toEqual(approved);

  const source = path.join(team, 'src/LatestReleaseWidget.tsx');
  writeFileSync(source, `${readFileSync(source, 'utf8')}\n// changed by the developer\n`);
  const reloaded = await until(
    () => releaseNotes(app.adminCookie),
    (list) => list[0]!.remote!.revision !== mine[0]!.remote!.revision,
  );
  expect(reloaded[0]!.remote!.entry).toBe(dev.entry);
  // Each build under its own path on the same dev server: the page admits that one origin, and asks for new URLs.
  expect(dev.entry).not.toBe(mine[0]!.remote!.entry);
  expect(new URL(dev.entry!).origin).toBe(new URL(mine[0]!.remote!.entry).origin);
  expect(builds.filter(Boolean).length).toBeGreaterThanOrEqual(2);
  expect(await releaseNotes(other)).toEqual(approved);

  // The backend: the admin's calls reach the team's backend/, a colleague's the approved one; an edit is redeployed.
  const whoFor = async (cookie: string) =>
    (await callExt(app, '/api/ext/release-notes/who', { cookie })).json() as { build: string };
  expect(await whoFor(app.adminCookie)).toEqual({ build: 'dev' });
  expect(await whoFor(other)).toEqual({ build: 'approved' });
  writeFileSync(path.join(team, 'backend', 'index.ts'), backendSource('dev, edited'));
  await eventually(
    'the edited backend to serve',
    async () => ((await whoFor(app.adminCookie)).build === 'dev, edited' ? true : undefined),
    30_000,
  );
  expect(await whoFor(other)).toEqual({ build: 'approved' });

  await dev.stop();
  dev = undefined;
  expect(await releaseNotes(app.adminCookie)).toEqual(approved);
  expect(await whoFor(app.adminCookie)).toEqual({ build: 'approved' });
}, 180_000);
