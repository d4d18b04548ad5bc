import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { testManifest } from '../shared/testing/manifests.ts';
import { startTestApp, type TestApp, type TestAppOptions } from './testing/test-app.ts';

let app: TestApp | undefined;

function writePlugin(
  dir: string,
  name: string,
  manifest: Record<string, unknown>,
  frontend: Record<string, string> = {},
): void {
  const pluginDir = path.join(dir, 'plugins', name);
  mkdirSync(path.join(pluginDir, 'frontend'), { recursive: true });
  mkdirSync(path.join(pluginDir, 'static'), { recursive: true });
  writeFileSync(path.join(pluginDir, 'manifest.json'), JSON.stringify(manifest));
  writeFileSync(path.join(pluginDir, 'static', 'icon.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>');
  for (const [file, text] of Object.entries(frontend)) writeFileSync(path.join(pluginDir, 'frontend', file), text);
}

function manifest(name: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return testManifest(name, {
    version: '1.2.3',
    compatibility: { workbench: '*', pluginApi: 1 },
    icon: 'icon.svg',
    ...extra,
  });
}

const widgetFrontend = {
  remote: 'mf-manifest.json',
  contributions: [{ slot: 'dashboard.widget', id: 'w', module: './Widget' }],
};
const remoteFiles = {
  'mf-manifest.json': JSON.stringify({ name: 'wb_widgets', exposes: [{ path: './Widget' }] }),
  'remoteEntry.js': 'var wb_widgets = {};',
  'Widget.1234abcd.js': 'console.log(1)',
};

async function start(options: TestAppOptions = {}): Promise<TestApp> {
  app = await startTestApp({
    ...options,
    prepare(dir) {
      writePlugin(dir, 'widgets', manifest('widgets', { frontend: widgetFrontend }), remoteFiles);
      writePlugin(dir, 'needs-approval', manifest('needs-approval', { capabilities: ['read-metadata'] }));
      options.prepare?.(dir);
    },
  });
  return app;
}

afterEach(async () => {
  await app?.close();
  app = undefined;
});

describe('plugin API', () => {
  test('GET /api/plugins lists every discovered plugin with state and reason', async () => {
    const { server, adminCookie } = await start();
    const response = await server.inject({ url: '/api/plugins', headers: { cookie: adminCookie } });
    expect(response.statusCode).toBe(200);
    const plugins = response.json().plugins as { name: string; state: string; reason?: string }[];
    expect(plugins.map((p) => [p.name, p.state])).toEqual([
      ['needs-approval', 'pending-approval'],
      ['widgets', 'active'],
    ]);
    expect(plugins[0]?.reason).toContain('read-metadata');
  });

  test('GET /api/plugins/:name returns the manifest; an unknown name is a JSON 404', async () => {
    const { server, adminCookie } = await start();
    const found = await server.inject({ url: '/api/plugins/widgets', headers: { cookie: adminCookie } });
    expect(found.json()).toMatchObject({
      name: 'widgets',
      version: '1.2.3',
      manifest: { displayName: 'Plugin widgets' },
    });

    const missing = await server.inject({ url: '/api/plugins/nope', headers: { cookie: adminCookie } });
    expect(missing.statusCode).toBe(404);
    expect(missing.json()).toEqual({
      error: { code: 'plugin_not_found', message: 'No plugin named "nope" is installed' },
    });
  });

  test('needs a session (401) and an instance admin (403)', async () => {
    const { server, userWithRoles } = await start();
    const anonymous = await server.inject('/api/plugins');
    expect(anonymous.statusCode).toBe(401);
    expect(anonymous.json().error.code).toBe('unauthorized');
    const workspaceAdmin = await userWithRoles('wsadmin', { default: 'admin' });
    const forbidden = await server.inject({ url: '/api/plugins/widgets', headers: { cookie: workspaceAdmin } });
    expect(forbidden.statusCode).toBe(403);
    expect(forbidden.json().error.code).toBe('forbidden');
  });

  test('an unknown API route answers a JSON 404', async () => {
    const { server } = await start();
    const response = await server.inject('/api/nothing-here');
    expect(response.statusCode).toBe(404);
    expect(response.json().error.code).toBe('not_found');
  });
});

describe('workspace extensions', () => {
  test('lists contributions of active plugins only, each naming its plugin and remote', async () => {
    const { server, userWithRoles } = await start();
    const viewer = await userWithRoles('viewer', { default: 'viewer' });
    const body = (
      await server.inject({ url: '/api/workspaces/default/extensions', headers: { cookie: viewer } })
    ).json();
    expect(body.workspace).toBe('default');
    expect(body.extensions).toHaveLength(1);
    expect(body.extensions[0]).toMatchObject({
      slot: 'dashboard.widget',
      id: 'w',
      plugin: 'widgets',
      pluginVersion: '1.2.3',
      remote: { name: 'wb_widgets', chunkGlobal: 'wbChunks_widgets' },
    });
    expect(body.extensions[0].remote.entry).toMatch(
      /^\/plugins\/widgets\/1\.2\.3-[0-9a-f]{10}\/frontend\/mf-manifest\.json$/,
    );
  });

  test('an unknown workspace and one the user does not belong to are the same JSON 404', async () => {
    const { server, userWithRoles } = await start({ workspaces: [{ name: 'default' }, { name: 'secret' }] });
    const viewer = await userWithRoles('viewer', { default: 'viewer' });
    for (const workspace of ['elsewhere', 'secret']) {
      const response = await server.inject({
        url: `/api/workspaces/${workspace}/extensions`,
        headers: { cookie: viewer },
      });
      expect(response.statusCode).toBe(404);
      expect(response.json().error).toEqual({
        code: 'workspace_not_found',
        message: `No workspace named "${workspace}"`,
      });
    }
    expect((await server.inject('/api/workspaces/default/extensions')).statusCode).toBe(401);
  });
});

describe('plugin assets', () => {
  async function entryUrl(testApp: TestApp): Promise<string> {
    const response = await testApp.server.inject({
      url: '/api/workspaces/default/extensions',
      headers: { cookie: testApp.adminCookie },
    });
    return response.json().extensions[0].remote.entry as string;
  }

  test('serves frontend files with their content type and a long-lived immutable cache', async () => {
    const testApp = await start();
    const cookie = testApp.adminCookie;
    const manifestUrl = await entryUrl(testApp);
    const json = await testApp.server.inject({ url: manifestUrl, headers: { cookie } });
    expect(json.statusCode).toBe(200);
    expect(json.headers['content-type']).toMatch(/^application\/json/);
    expect(json.headers['cache-control']).toBe('private, max-age=31536000, immutable');
    const js = await testApp.server.inject({
      url: manifestUrl.replace('mf-manifest.json', 'remoteEntry.js'),
      headers: { cookie },
    });
    expect(js.statusCode).toBe(200);
    expect(js.headers['content-type']).toMatch(/javascript/);
    expect(js.body).toBe('var wb_widgets = {};');
    // Isolated frames send no cookie: an active plugin's files are served without a session.
    expect((await testApp.server.inject(manifestUrl)).statusCode).toBe(200);
  });

  test('serves static files of plugins that are not active, but never their frontend', async () => {
    const { server, adminCookie: cookie } = await start();
    const summary = (await server.inject({ url: '/api/plugins/needs-approval', headers: { cookie } })).json();
    const icon = await server.inject({ url: summary.iconUrl, headers: { cookie } });
    expect(icon.statusCode).toBe(200);
    expect(icon.headers['content-type']).toMatch(/^image\/svg\+xml/);
    const code = await server.inject({
      url: summary.iconUrl.replace('static/icon.svg', 'frontend/remoteEntry.js'),
      headers: { cookie },
    });
    expect(code.statusCode).toBe(404);
    expect(code.json().error.message).toContain('pending-approval');
  });

  test('refuses outdated revisions, other folders, and paths that climb out', async () => {
    const testApp = await start();
    const cookie = testApp.adminCookie;
    const url = await entryUrl(testApp);
    const stale = await testApp.server.inject({
      url: url.replace(/1\.2\.3-[0-9a-f]{10}/, '1.2.3-0000000000'),
      headers: { cookie },
    });
    expect(stale.statusCode).toBe(404);
    expect(stale.json().error.message).toContain('is not served');
    const manifestFile = await testApp.server.inject({
      url: url.replace('frontend/mf-manifest.json', 'manifest.json'),
      headers: { cookie },
    });
    expect(manifestFile.statusCode).toBe(404);
    for (const climb of ['frontend/../manifest.json', 'frontend/%2e%2e/manifest.json', 'frontend/..%2fmanifest.json']) {
      const response = await testApp.server.inject({
        url: url.replace('frontend/mf-manifest.json', climb),
        headers: { cookie },
      });
      expect(response.statusCode, climb).not.toBe(200);
      expect(response.body).not.toContain('"capabilities"');
    }
  });
});

describe('plugin-disabled mode', () => {
  test('discovers nothing, lists no extensions and serves no plugin files', async () => {
    const { server, plugins, adminCookie: cookie } = await start({ env: { PLUGIN_SYSTEM_ENABLED: 'false' } });
    expect(plugins.list()).toEqual([]);
    expect((await server.inject({ url: '/api/plugins', headers: { cookie } })).json()).toEqual({ plugins: [] });
    expect(
      (await server.inject({ url: '/api/workspaces/default/extensions', headers: { cookie } })).json().extensions,
    ).toEqual([]);
    expect((await server.inject('/api/info')).json()).toMatchObject({ pluginSystemEnabled: false });
    const asset = await server.inject({ url: '/plugins/widgets/1.2.3/frontend/remoteEntry.js', headers: { cookie } });
    expect(asset.statusCode).toBe(404);
  });
});

describe('the shell', () => {
  test('index.html is revalidated, hashed assets are cached for good, client routes fall back to index.html', async () => {
    const { server } = await start({
      env: { SHELL_DIST_DIR: 'shell' },
      prepare(dir) {
        mkdirSync(path.join(dir, 'shell', 'assets'), { recursive: true });
        writeFileSync(path.join(dir, 'shell', 'index.html'), '<!doctype html><div id="root"></div>');
        writeFileSync(path.join(dir, 'shell', 'assets', 'main.abcd1234.js'), 'console.log("shell")');
      },
    });
    const asset = await server.inject('/assets/main.abcd1234.js');
    expect(asset.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    const route = await server.inject({ url: '/ext/some/page', headers: { accept: 'text/html' } });
    expect(route.statusCode).toBe(200);
    expect(route.headers['cache-control']).toBe('no-cache');
    expect(route.body).toContain('<div id="root">');
    // API and plugin paths never fall back to the app, even for a browser.
    const api = await server.inject({ url: '/api/unknown', headers: { accept: 'text/html' } });
    expect(api.statusCode).toBe(404);
    expect(api.json().error.code).toBe('not_found');
  });
});

describe('static files named by the manifest', () => {
  test('a missing icon is a warning naming the file, and no icon URL is offered', async () => {
    const { server, adminCookie: cookie } = await start({
      prepare: (dir) =>
        writePlugin(
          dir,
          'no-icon',
          manifest('no-icon', { icon: 'missing.svg', screenshots: ['icon.svg', 'shot.png'] }),
        ),
    });
    const plugin = (await server.inject({ url: '/api/plugins/no-icon', headers: { cookie } })).json();
    expect(plugin.state).toBe('active');
    expect(plugin.iconUrl).toBeUndefined();
    expect(plugin.warnings).toEqual([
      { field: 'icon', rule: 'file-exists', message: 'icon: static/missing.svg does not exist' },
      { field: 'screenshots', rule: 'file-exists', message: 'screenshots: static/shot.png does not exist' },
    ]);
  });
});

describe('the app root', () => {
  test('/ serves the shell entry page, not a directory error', async () => {
    const { server } = await start({
      env: { SHELL_DIST_DIR: 'shell' },
      prepare(dir) {
        mkdirSync(path.join(dir, 'shell'), { recursive: true });
        writeFileSync(path.join(dir, 'shell', 'index.html'), '<!doctype html><div id="root"></div>');
      },
    });
    const root = await server.inject({ url: '/', headers: { accept: 'text/html' } });
    expect(root.statusCode).toBe(200);
    expect(root.body).toContain('<div id="root">');
    expect(root.headers['cache-control']).toBe('no-cache');
  });
});
