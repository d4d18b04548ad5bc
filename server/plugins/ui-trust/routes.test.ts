import { rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pino } from 'pino';
import { afterEach, describe, expect, test } from 'vitest';
import { testManifest } from '../../../shared/testing/manifests.ts';
import { buildApp } from '../../app.ts';
import { loadSettings } from '../../settings.ts';
import { startTestApp, TEST_ADMIN, type TestApp } from '../../testing/test-app.ts';
import { writeWidgetPlugin } from '../../testing/widget-plugin.ts';

let app: TestApp | undefined;
afterEach(async () => {
  await app?.close();
  app = undefined;
});

async function start(): Promise<TestApp> {
  app = await startTestApp({
    prepare(dir) {
      writeWidgetPlugin(dir, 'widgets', { manifest: { capabilities: ['read-metadata'] } });
    },
    env: { PLUGIN_AUTO_APPROVE: 'read-metadata' },
  });
  return app;
}

const put = (a: TestApp, cookie: string | undefined, body: unknown, name = 'widgets') =>
  a.server.inject({
    method: 'PUT',
    url: `/api/plugins/${name}/ui-trust`,
    headers: cookie ? { cookie } : {},
    payload: body as object,
  });

async function trustSeen(a: TestApp, cookie = a.adminCookie) {
  const list = (await a.server.inject({ url: '/api/plugins', headers: { cookie } })).json().plugins;
  const detail = (await a.server.inject({ url: '/api/plugins/widgets', headers: { cookie } })).json();
  const extensions = (await a.server.inject({ url: '/api/workspaces/default/extensions', headers: { cookie } })).json()
    .extensions;
  return {
    list: list.find((p: { name: string }) => p.name === 'widgets')?.uiTrust,
    detail: detail.uiTrust,
    extensions: extensions.map((e: { uiTrust: string; pluginCapabilities: string[] }) => [
      e.uiTrust,
      e.pluginCapabilities,
    ]),
  };
}

describe('UI trust level', () => {
  test('every plugin is isolated until an admin chooses; the list, the detail and every extension say so', async () => {
    const a = await start();
    expect(await trustSeen(a)).toEqual({
      list: 'isolated',
      detail: 'isolated',
      extensions: [['isolated', ['read-metadata']]],
    });
  });

  test('an admin sets in-page: audited with from and to, announced to open shells, seen everywhere', async () => {
    const a = await start();
    await a.server.listen({ port: 0, host: '127.0.0.1' });
    const { port } = a.server.server.address() as { port: number };
    const viewer = await a.userWithRoles('viewer', { default: 'viewer' });
    const stream = await fetch(`http://127.0.0.1:${port}/api/events`, { headers: { cookie: viewer } });
    const reader = stream.body!.getReader();

    const response = await put(a, a.adminCookie, { level: 'in-page' });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({ name: 'widgets', uiTrust: 'in-page' });

    let seen = '';
    while (!seen.includes('plugins-changed')) seen += new TextDecoder().decode((await reader.read()).value);
    await reader.cancel();
    expect(seen).toContain('"plugins":["widgets"]');
    expect(await trustSeen(a)).toEqual({
      list: 'in-page',
      detail: 'in-page',
      extensions: [['in-page', ['read-metadata']]],
    });
    expect(
      (await a.server.inject({ url: '/api/workspaces/default/extensions', headers: { cookie: viewer } })).json()
        .extensions[0].uiTrust,
    ).toBe('in-page');

    const audit = (await a.server.inject({ url: '/api/audit', headers: { cookie: a.adminCookie } })).json();
    const entry = (audit.entries ?? audit).find((e: { action: string }) => e.action === 'plugin.ui-trust');
    expect(entry).toMatchObject({ target: 'widgets', details: { from: 'isolated', to: 'in-page' } });

    await a.context.pluginLogs.flush();
    const logs = await a.server.inject({ url: '/api/plugins/widgets/logs', headers: { cookie: a.adminCookie } });
    expect(logs.body).toContain('UI trust level: isolated → in-page');

    expect((await put(a, a.adminCookie, { level: 'isolated' })).json().uiTrust).toBe('isolated');
    expect((await trustSeen(a)).extensions).toEqual([['isolated', ['read-metadata']]]);
  });

  test('bad bodies are 400s naming the field, unknown plugins 404, and neither changes anything', async () => {
    const a = await start();
    for (const body of [{}, { level: 'trusted' }, { level: null }, { levels: 'in-page' }]) {
      const response = await put(a, a.adminCookie, body);
      expect(response.statusCode).toBe(400);
      expect(response.json().error.code).toBe('bad_request');
      expect(response.json().error.message).toContain('level');
    }
    const missing = await put(a, a.adminCookie, { level: 'in-page' }, 'nope');
    expect(missing.statusCode).toBe(404);
    expect(missing.json().error).toEqual({ code: 'plugin_not_found', message: 'No plugin named "nope" is installed' });
    expect((await trustSeen(a)).detail).toBe('isolated');
  });

  test('only instance admins choose: 401 without a session, 403 for a workspace admin', async () => {
    const a = await start();
    expect((await put(a, undefined, { level: 'in-page' })).statusCode).toBe(401);
    const wsAdmin = await a.userWithRoles('ws-admin', { default: 'admin' });
    const refused = await put(a, wsAdmin, { level: 'in-page' });
    expect(refused.statusCode).toBe(403);
    expect(refused.json().error.code).toBe('forbidden');
    expect((await trustSeen(a)).detail).toBe('isolated');
  });

  test('the choice survives a restart and an update, and goes with a removal', async () => {
    const a = await start();
    await put(a, a.adminCookie, { level: 'in-page' });
    await a.server.close();

    const env = {
      PLUGINS_DIRECTORY: 'plugins',
      SHELL_DIST_DIR: 'no-shell',
      WORKBENCH_DATA_DIR: 'data',
      WORKBENCH_ADMIN_USERNAME: TEST_ADMIN.username,
      WORKBENCH_ADMIN_PASSWORD: TEST_ADMIN.password,
      PLUGIN_AUTO_APPROVE: 'read-metadata',
      PLUGINS_WATCH: 'false',
    };
    const restarted = await buildApp(loadSettings(env, a.dir), pino({ level: 'silent' }), { print: () => {} });
    const b: TestApp = {
      ...a,
      ...restarted,
      async close() {
        await restarted.server.close();
        rmSync(a.dir, { recursive: true, force: true });
      },
    };
    app = b;
    const login = await b.server.inject({ method: 'POST', url: '/api/auth/login', payload: TEST_ADMIN });
    const cookie = `wb_session=${login.cookies.find((c) => c.name === 'wb_session')!.value}`;
    expect((await trustSeen(b, cookie)).detail).toBe('in-page');

    // A new version in its folder: the choice holds.
    const manifestPath = path.join(a.dir, 'plugins/widgets/manifest.json');
    writeFileSync(
      manifestPath,
      JSON.stringify(
        testManifest('widgets', {
          version: '1.1.0',
          capabilities: ['read-metadata'],
          frontend: {
            remote: 'mf-manifest.json',
            contributions: [{ slot: 'dashboard.widget', id: 'w', module: './Widget' }],
          },
        }),
      ),
    );
    await b.plugins.refresh();
    expect(b.plugins.get('widgets')).toMatchObject({ manifest: { version: '1.1.0' }, uiTrust: 'in-page' });

    const removed = await b.server.inject({ method: 'DELETE', url: '/api/plugins/widgets', headers: { cookie } });
    expect(removed.statusCode).toBe(200);
    expect(await b.context.db.all('SELECT plugin FROM plugin_ui_trust')).toEqual([]);
    writeWidgetPlugin(a.dir, 'widgets', { manifest: { capabilities: ['read-metadata'] } });
    await b.plugins.refresh();
    expect(b.plugins.get('widgets')?.uiTrust).toBe('isolated');
  });
});
