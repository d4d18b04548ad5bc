import { rmSync } from 'node:fs';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { buildApp } from '../../app.ts';
import { loadSettings } from '../../settings.ts';
import { approve, withFixtures } from '../../sandbox/testing.ts';
import { startTestApp, TEST_ADMIN, type TestApp } from '../../testing/test-app.ts';
import { writeWidgetPlugin } from '../../testing/widget-plugin.ts';
import { serverSecret } from './secret.ts';
import { sessionIdOf, signPluginToken } from './token.ts';

// A plugin frontend's calls as an attacker would make them: without the token the host end of the bridge holds,
// with another plugin's, another user's, another workspace's, an expired or a rewritten one.

const env = { PLUGIN_AUTO_APPROVE: 'read-metadata' };
let app: TestApp;
let viewer: string;
let other: string;

const askToken = (cookie: string | undefined, body: unknown, workspace = 'alpha', headers = {}) =>
  app.server.inject({
    method: 'POST',
    url: `/api/workspaces/${workspace}/plugin-tokens`,
    headers: { ...headers, ...(cookie ? { cookie } : {}) },
    payload: body as object,
  });
async function tokenOf(cookie: string, plugin: string, workspace = 'alpha'): Promise<string> {
  const response = await askToken(cookie, { plugin }, workspace);
  expect(response.statusCode, response.body).toBe(200);
  return response.json().token;
}
const readModels = (cookie: string, plugin: string, token?: string, workspace = 'alpha') =>
  app.server.inject({
    url: `/api/workspaces/${workspace}/plugin-data/${plugin}/models`,
    headers: { cookie, ...(token === undefined ? {} : { 'x-workbench-plugin-token': token }) },
  });

beforeAll(async () => {
  app = await startTestApp({
    env,
    workspaces: [{ name: 'alpha' }, { name: 'beta' }],
    prepare(dir) {
      for (const name of ['notes', 'prober', 'switched-off'])
        writeWidgetPlugin(dir, name, { manifest: { capabilities: ['read-metadata'] } });
    },
  });
  const off = await app.server.inject({
    method: 'POST',
    url: '/api/plugins/switched-off/disable',
    headers: { cookie: app.adminCookie },
  });
  expect(off.statusCode).toBe(200);
  viewer = await app.userWithRoles('viewer', { alpha: 'viewer', beta: 'viewer' });
  other = await app.userWithRoles('other', { alpha: 'viewer' });
});
afterAll(() => app.close());

describe('POST /api/workspaces/:workspace/plugin-tokens', () => {
  test('a member gets a token for a plugin active there, valid ten minutes', async () => {
    const before = Date.now();
    const response = await askToken(viewer, { plugin: 'notes' });
    expect(response.statusCode).toBe(200);
    const { token, expiresAt } = response.json();
    expect(typeof token).toBe('string');
    expect(Date.parse(expiresAt) - before).toBeGreaterThanOrEqual(10 * 60_000 - 1000);
    expect(Date.parse(expiresAt) - before).toBeLessThanOrEqual(10 * 60_000 + 5000);
    expect(token).not.toContain(viewer.split('=')[1]);
  });

  test('refused with a clear error: unknown or inactive plugins, non-members, no session, bad bodies, frames', async () => {
    const cases: [Awaited<ReturnType<typeof askToken>>, number, string, string][] = [
      [await askToken(viewer, { plugin: 'nobody' }), 404, 'plugin_not_found', 'No plugin named "nobody"'],
      [
        await askToken(viewer, { plugin: 'switched-off' }),
        404,
        'not_found',
        'Plugin "switched-off" is not active in workspace alpha',
      ],
      [await askToken(other, { plugin: 'notes' }, 'beta'), 404, 'workspace_not_found', 'No workspace named "beta"'],
      [await askToken(undefined, { plugin: 'notes' }), 401, 'unauthorized', 'Sign in'],
      [await askToken(viewer, {}), 400, 'bad_request', 'plugin'],
      [await askToken(viewer, { plugin: '../notes' }), 400, 'bad_request', 'plugin'],
      [
        await askToken(viewer, { plugin: 'notes' }, 'alpha', { origin: 'null', 'sec-fetch-site': 'cross-site' }),
        403,
        'cross_origin_refused',
        'opaque origin',
      ],
    ];
    for (const [response, status, code, words] of cases) {
      expect(response.statusCode, response.body).toBe(status);
      expect(response.json().error.code).toBe(code);
      expect(response.json().error.message).toContain(words);
    }
  });
});

describe('host data for plugin frontends needs the plugin token', () => {
  test('with its own token the call runs as the user; without one it is refused, naming the header', async () => {
    expect((await readModels(viewer, 'notes', await tokenOf(viewer, 'notes'))).statusCode).toBe(200);
    const bare = await readModels(viewer, 'notes');
    expect(bare.statusCode).toBe(403);
    expect(bare.json().error).toMatchObject({
      code: 'plugin_token_required',
      message: `Calls for plugin "notes" need the x-workbench-plugin-token header, which the app's bridge sends`,
    });
  });

  test("a plugin cannot use another plugin's, another user's or another workspace's token", async () => {
    const cases: [string, string, string, string][] = [
      [viewer, await tokenOf(viewer, 'prober'), 'alpha', 'The plugin token is for plugin "prober", not "notes"'],
      [
        viewer,
        await tokenOf(other, 'notes'),
        'alpha',
        'The plugin token was not issued to this session, or it was altered',
      ],
      [
        viewer,
        await tokenOf(viewer, 'notes', 'beta'),
        'alpha',
        'The plugin token is for workspace "beta", not "alpha"',
      ],
      [viewer, 'made-up', 'alpha', 'The plugin token is malformed'],
    ];
    for (const [cookie, token, workspace, message] of cases) {
      const response = await readModels(cookie, 'notes', token, workspace);
      expect(response.statusCode, message).toBe(403);
      expect(response.json().error).toMatchObject({ code: 'plugin_token_invalid', message });
    }
  });

  test('an expired token, or one whose claims were rewritten, is refused', async () => {
    const secret = await serverSecret(app.context.db, 'plugin-tokens');
    const session = sessionIdOf(viewer.split('=')[1]!);
    const expired = signPluginToken(secret, session, {
      plugin: 'notes',
      workspace: 'alpha',
      expiresAt: Date.now() - 1,
    });
    const response = await readModels(viewer, 'notes', expired);
    expect(response.statusCode).toBe(403);
    expect(response.json().error.message).toMatch(/^The plugin token expired at .*; the app fetches a new one$/);

    const real = await tokenOf(viewer, 'prober');
    const [, signature] = real.split('.');
    const claims = Buffer.from(JSON.stringify(['notes', 'alpha', Date.now() + 60_000])).toString('base64url');
    const rewritten = await readModels(viewer, 'notes', `${claims}.${signature}`);
    expect(rewritten.statusCode).toBe(403);
    expect(rewritten.json().error.message).toBe('The plugin token was not issued to this session, or it was altered');
  });

  test('a token dies with its session: signed out, the old token is worthless even with a new session', async () => {
    const alice = await app.userWithRoles('alice', { alpha: 'viewer' });
    const token = await tokenOf(alice, 'notes');
    await app.server.inject({ method: 'POST', url: '/api/auth/logout', headers: { cookie: alice } });
    const again = await app.login('alice', 'alice-password-123');
    const response = await readModels(again, 'notes', token);
    expect(response.statusCode).toBe(403);
    expect(response.json().error.code).toBe('plugin_token_invalid');
  });
});

describe('the key every server process shares', () => {
  test('is made once and kept in the database: a token stays valid after a restart', async () => {
    const restartable = await startTestApp({
      env,
      prepare: (dir) => writeWidgetPlugin(dir, 'notes', { manifest: { capabilities: ['read-metadata'] } }),
    });
    const response = await restartable.server.inject({
      method: 'POST',
      url: '/api/workspaces/default/plugin-tokens',
      headers: { cookie: restartable.adminCookie },
      payload: { plugin: 'notes' },
    });
    const token = response.json().token as string;
    await restartable.server.close();
    const settings = loadSettings(
      {
        PLUGINS_DIRECTORY: 'plugins',
        SHELL_DIST_DIR: 'no-shell',
        WORKBENCH_DATA_DIR: 'data',
        WORKBENCH_ADMIN_USERNAME: TEST_ADMIN.username,
        WORKBENCH_ADMIN_PASSWORD: TEST_ADMIN.password,
        PLUGINS_WATCH: 'false',
        ...env,
      },
      restartable.dir,
    );
    const second = await buildApp(settings, pino({ level: 'silent' }), { print: () => {} });
    try {
      expect(await serverSecret(second.context.db, 'plugin-tokens')).toBe(
        await serverSecret(second.context.db, 'plugin-tokens'),
      );
      const read = await second.server.inject({
        url: '/api/workspaces/default/plugin-data/notes/models',
        headers: { cookie: restartable.adminCookie, 'x-workbench-plugin-token': token },
      });
      expect(read.statusCode, read.body).toBe(200);
    } finally {
      await second.server.close();
      rmSync(restartable.dir, { recursive: true, force: true });
    }
  });
});

describe('plugin routes (/api/ext)', () => {
  let ext: TestApp;
  let member: string;
  beforeAll(async () => {
    ext = await startTestApp({
      env,
      prepare(dir) {
        withFixtures('every-method')(dir);
        writeWidgetPlugin(dir, 'prober');
      },
    });
    await approve(ext, 'every-method');
    member = await ext.userWithRoles('member', { default: 'viewer' });
  }, 60_000);
  afterAll(() => ext.close());

  const call = (token?: string) =>
    ext.server.inject({
      url: '/api/ext/every-method/thing',
      headers: {
        cookie: member,
        'x-workbench-workspace': 'default',
        ...(token === undefined ? {} : { 'x-workbench-plugin-token': token }),
      },
    });
  const tokenFor = async (plugin: string) =>
    (
      await ext.server.inject({
        method: 'POST',
        url: '/api/workspaces/default/plugin-tokens',
        headers: { cookie: member },
        payload: { plugin },
      })
    ).json().token as string;

  test('without a token a call is unchanged; with its own it passes; with another plugin`s it is refused', async () => {
    expect((await call()).statusCode).toBe(200);
    expect((await call(await tokenFor('every-method'))).json()).toMatchObject({ path: '/thing', user: 'member' });
    const stolen = await call(await tokenFor('prober'));
    expect(stolen.statusCode).toBe(403);
    expect(stolen.json().error).toEqual({
      code: 'plugin_token_invalid',
      message: 'The plugin token is for plugin "prober", not "every-method"',
      details: { plugin: 'every-method', workspace: 'default' },
    });
    expect((await call('junk')).json().error.code).toBe('plugin_token_invalid');
  });
});
