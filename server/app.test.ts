import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { testManifest } from '../shared/testing/manifests.ts';
import { buildApp, type App } from './app.ts';
import { loadSettings } from './settings.ts';

let dir: string;
let app: App | undefined;

function writePlugin(name: string, manifest: Record<string, unknown>, frontend: Record<string, string> = {}): void {
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

async function start(env: Record<string, string> = {}): Promise<App> {
  const settings = loadSettings({ PLUGINS_DIRECTORY: 'plugins', SHELL_DIST_DIR: 'no-shell', ...env }, dir);
  app = await buildApp(settings, pino({ level: 'silent' }));
  return app;
}

beforeEach(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'wb-app-'));
  writePlugin('widgets', manifest('widgets', { frontend: widgetFrontend }), remoteFiles);
  writePlugin('needs-approval', manifest('needs-approval', { capabilities: ['read-metadata'] }));
});

afterEach(async () => {
  await app?.server.close();
  app = undefined;
  rmSync(dir, { recursive: true, force: true });
});

describe('plugin API', () => {
  test('GET /api/plugins lists every discovered plugin with state and reason', async () => {
    const { server } = await start();
    const response = await server.inject('/api/plugins');
    expect(response.statusCode).toBe(200);
    const plugins = response.json().plugins as { name: string; state: string; reason?: string }[];
    expect(plugins.map((p) => [p.name, p.state])).toEqual([
      ['needs-approval', 'pending-approval'],
      ['widgets', 'active'],
    ]);
    expect(plugins[0]?.reason).toContain('read-metadata');
  });

  test('GET /api/plugins/:name returns the manifest; an unknown name is a JSON 404', async () => {
    const { server } = await start();
    const found = await server.inject('/api/plugins/widgets');
    expect(found.json()).toMatchObject({
      name: 'widgets',
      version: '1.2.3',
      manifest: { displayName: 'Plugin widgets' },
    });

    const missing = await server.inject('/api/plugins/nope');
    expect(missing.statusCode).toBe(404);
    expect(missing.json()).toEqual({
      error: { code: 'plugin_not_found', message: 'No plugin named "nope" is installed' },
    });
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
    const { server } = await start();
    const body = (await server.inject('/api/workspaces/default/extensions')).json();
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

  test('an unknown workspace is a JSON 404', async () => {
    const { server } = await start();
    const response = await server.inject('/api/workspaces/elsewhere/extensions');
    expect(response.statusCode).toBe(404);
    expect(response.json().error.code).toBe('workspace_not_found');
  });
});

describe('plugin assets', () => {
  async function entryUrl(server: App['server']): Promise<string> {
    return (await server.inject('/api/workspaces/default/extensions')).json().extensions[0].remote.entry as string;
  }

  test('serves frontend files with their content type and a long-lived immutable cache', async () => {
    const { server } = await start();
    const manifestUrl = await entryUrl(server);
    const json = await server.inject(manifestUrl);
    expect(json.statusCode).toBe(200);
    expect(json.headers['content-type']).toMatch(/^application\/json/);
    expect(json.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    const js = await server.inject(manifestUrl.replace('mf-manifest.json', 'remoteEntry.js'));
    expect(js.statusCode).toBe(200);
    expect(js.headers['content-type']).toMatch(/javascript/);
    expect(js.body).toBe('var wb_widgets = {};');
  });

  test('serves static files of plugins that are not active, but never their frontend', async () => {
    const { server } = await start();
    const summary = (await server.inject('/api/plugins/needs-approval')).json();
    const icon = await server.inject(summary.iconUrl);
    expect(icon.statusCode).toBe(200);
    expect(icon.headers['content-type']).toMatch(/^image\/svg\+xml/);
    const code = await server.inject(summary.iconUrl.replace('static/icon.svg', 'frontend/remoteEntry.js'));
    expect(code.statusCode).toBe(404);
    expect(code.json().error.message).toContain('pending-approval');
  });

  test('refuses outdated revisions, other folders, and paths that climb out', async () => {
    const { server } = await start();
    const url = await entryUrl(server);
    const stale = await server.inject(url.replace(/1\.2\.3-[0-9a-f]{10}/, '1.2.3-0000000000'));
    expect(stale.statusCode).toBe(404);
    expect(stale.json().error.message).toContain('is not served');
    const manifestFile = await server.inject(url.replace('frontend/mf-manifest.json', 'manifest.json'));
    expect(manifestFile.statusCode).toBe(404);
    for (const climb of ['frontend/../manifest.json', 'frontend/%2e%2e/manifest.json', 'frontend/..%2fmanifest.json']) {
      const response = await server.inject(url.replace('frontend/mf-manifest.json', climb));
      expect(response.statusCode, climb).not.toBe(200);
      expect(response.body).not.toContain('"capabilities"');
    }
  });
});

describe('plugin-disabled mode', () => {
  test('discovers nothing, lists no extensions and serves no plugin files', async () => {
    const { server, plugins } = await start({ PLUGIN_SYSTEM_ENABLED: 'false' });
    expect(plugins.list()).toEqual([]);
    expect((await server.inject('/api/plugins')).json()).toEqual({ plugins: [] });
    expect((await server.inject('/api/workspaces/default/extensions')).json().extensions).toEqual([]);
    expect((await server.inject('/api/info')).json()).toMatchObject({ pluginSystemEnabled: false });
    const asset = await server.inject('/plugins/widgets/1.2.3/frontend/remoteEntry.js');
    expect(asset.statusCode).toBe(404);
  });
});

describe('the shell', () => {
  test('index.html is revalidated, hashed assets are cached for good, client routes fall back to index.html', async () => {
    mkdirSync(path.join(dir, 'shell', 'assets'), { recursive: true });
    writeFileSync(path.join(dir, 'shell', 'index.html'), '<!doctype html><div id="root"></div>');
    writeFileSync(path.join(dir, 'shell', 'assets', 'main.abcd1234.js'), 'console.log("shell")');
    const { server } = await start({ SHELL_DIST_DIR: 'shell' });

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
    writePlugin('no-icon', manifest('no-icon', { icon: 'missing.svg', screenshots: ['icon.svg', 'shot.png'] }));
    const { server } = await start();
    const plugin = (await server.inject('/api/plugins/no-icon')).json();
    expect(plugin.state).toBe('active');
    expect(plugin.iconUrl).toBeUndefined();
    expect(plugin.warnings).toEqual([
      { field: 'icon', rule: 'file-exists', message: 'icon: static/missing.svg does not exist' },
      { field: 'screenshots', rule: 'file-exists', message: 'screenshots: static/shot.png does not exist' },
    ]);
  });
});
