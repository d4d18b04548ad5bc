import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startTestApp, type TestApp } from '../testing/test-app.ts';
import { writeWidgetPlugin } from '../testing/widget-plugin.ts';
import { assetAccess } from './assets.ts';

// A hostile plugin, written from our own docs: its static/ holds an HTML page and an SVG that run script when opened
// from the app's origin, hoping an admin (or anyone) opens the link its description gives.
const evilHtml = '<!doctype html><script>fetch("/api/users", {method: "POST", body: "{}"})</script>';
const evilSvg =
  '<svg xmlns="http://www.w3.org/2000/svg"><script>fetch("/api/users", {method: "POST", body: "{}"})</script></svg>';

let app: TestApp;
let viewer: string;
const revision = (name: string) => app.plugins.get(name)!.revision;
const get = (url: string, cookie?: string, headers: Record<string, string> = {}) =>
  app.server.inject({ url, headers: { ...headers, ...(cookie ? { cookie } : {}) } });

beforeAll(async () => {
  app = await startTestApp({
    prepare(dir) {
      for (const name of ['hostile', 'switched-off', 'waiting']) {
        writeWidgetPlugin(dir, name, {
          static: {
            'evil.html': evilHtml,
            'evil.svg': evilSvg,
            'icon.svg': '<svg xmlns="http://www.w3.org/2000/svg"/>',
          },
          ...(name === 'waiting' ? { manifest: { capabilities: ['read-metadata'] } } : {}),
        });
      }
    },
  });
  const disabled = await app.server.inject({
    method: 'POST',
    url: '/api/plugins/switched-off/disable',
    headers: { cookie: app.adminCookie },
  });
  expect(disabled.statusCode).toBe(200);
  viewer = await app.userWithRoles('viewer', { default: 'viewer' });
});
afterAll(() => app.close());

describe('files of an active plugin', () => {
  test('are served without a session, to a frame with an opaque origin, with CORS and a cross-origin CORP', async () => {
    const url = `/plugins/hostile/${revision('hostile')}/frontend/mf-manifest.json`;
    const response = await get(url, undefined, { origin: 'null', 'sec-fetch-site': 'cross-site' });
    expect(response.statusCode).toBe(200);
    expect(response.headers['access-control-allow-origin']).toBe('*');
    expect(response.headers['cross-origin-resource-policy']).toBe('cross-origin');
    expect(response.headers['access-control-allow-credentials']).toBeUndefined();
    expect(response.json()).toMatchObject({ name: 'wb_hostile' });
  });

  test('an HTML or SVG file opened from the app origin is inert: CSP sandbox and nosniff on every file', async () => {
    for (const file of ['static/evil.html', 'static/evil.svg', 'static/icon.svg', 'frontend/remoteEntry.js']) {
      const response = await get(`/plugins/hostile/${revision('hostile')}/${file}`, app.adminCookie);
      expect(response.statusCode, file).toBe(200);
      expect(response.headers['content-security-policy'], file).toBe('sandbox');
      expect(response.headers['x-content-type-options'], file).toBe('nosniff');
    }
    const html = await get(`/plugins/hostile/${revision('hostile')}/static/evil.html`, viewer);
    expect(html.headers['content-type']).toMatch(/^text\/html/);
    expect(html.headers['content-security-policy']).toBe('sandbox');
  });

  test('an outdated revision, other folders and paths that climb out answer 404', async () => {
    for (const url of [
      '/plugins/hostile/1.0.0-0000000000/static/icon.svg',
      `/plugins/hostile/${revision('hostile')}/manifest.json`,
      `/plugins/hostile/${revision('hostile')}/frontend/../manifest.json`,
      `/plugins/hostile/${revision('hostile')}/static/%2e%2e/manifest.json`,
    ]) {
      const response = await get(url, app.adminCookie);
      expect(response.statusCode, url).toBe(404);
      expect(response.body, url).not.toContain('"capabilities"');
    }
  });
});

describe('files of a plugin that is not active', () => {
  test('a disabled plugin serves nothing to users or anonymous callers: 404, as if it were not there', async () => {
    for (const file of [
      'frontend/mf-manifest.json',
      'frontend/remoteEntry.js',
      'static/evil.html',
      'static/icon.svg',
    ]) {
      for (const cookie of [undefined, viewer]) {
        const response = await get(`/plugins/switched-off/${revision('switched-off')}/${file}`, cookie);
        expect(response.statusCode, `${file} as ${cookie ? 'viewer' : 'anonymous'}`).toBe(404);
        expect(response.headers['access-control-allow-origin']).toBeUndefined();
      }
    }
  });

  test('instance admins get its static files (icons on the admin pages), sandboxed, and never its frontend', async () => {
    for (const name of ['switched-off', 'waiting']) {
      const icon = await get(`/plugins/${name}/${revision(name)}/static/icon.svg`, app.adminCookie);
      expect(icon.statusCode, name).toBe(200);
      expect(icon.headers['content-security-policy']).toBe('sandbox');
      expect(icon.headers['access-control-allow-origin']).toBeUndefined();
      const evil = await get(`/plugins/${name}/${revision(name)}/static/evil.svg`, app.adminCookie);
      expect(evil.headers['content-security-policy']).toBe('sandbox');
      const code = await get(`/plugins/${name}/${revision(name)}/frontend/remoteEntry.js`, app.adminCookie);
      expect(code.statusCode, name).toBe(404);
    }
  });

  test('a removed plugin serves nothing, not even to admins', async () => {
    const before = revision('hostile');
    const removed = await app.server.inject({
      method: 'DELETE',
      url: '/api/plugins/hostile',
      headers: { cookie: app.adminCookie },
    });
    expect(removed.statusCode).toBe(200);
    for (const file of ['static/icon.svg', 'frontend/mf-manifest.json'])
      expect((await get(`/plugins/hostile/${before}/${file}`, app.adminCookie)).statusCode).toBe(404);
  });
});

describe('a plugin whose remote is hosted at its own URL', () => {
  test('never has a frontend/ folder served: no approval or signature covers it; its static/ still is', () => {
    const plugin = app.plugins.get('switched-off')!;
    const hosted = {
      ...plugin,
      state: 'active' as const,
      manifest: {
        ...plugin.manifest!,
        frontend: { remote: 'https://cdn.example.test/hosted/mf-manifest.json', contributions: [] },
      },
    };
    expect(assetAccess(hosted, hosted.revision, 'frontend/remoteEntry.js')).toEqual({
      refused:
        'Plugin "switched-off" loads its frontend from https://cdn.example.test/hosted/mf-manifest.json, not from its folder',
    });
    expect(assetAccess(hosted, hosted.revision, 'static/icon.svg')).toBe('public');
  });
});
