import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startTestApp, type TestApp } from '../../testing/test-app.ts';
import { writeWidgetPlugin } from '../../testing/widget-plugin.ts';

const runtimeHtml =
  '<!doctype html><html><head><meta charset="utf-8"><script defer src="/isolation/assets/main.0123abcd.js"></script></head><body><div id="root"></div></body></html>';

let app: TestApp;
const revision = (name: string) => app.plugins.get(name)!.revision;
const frame = (name: string, rev = revision(name), headers: Record<string, string> = {}) =>
  app.server.inject({ url: `/plugin-frames/${name}/${rev}/`, headers: { host: 'wb.example:8080', ...headers } });

beforeAll(async () => {
  app = await startTestApp({
    env: { ISOLATION_DIST_DIR: 'isolation' },
    prepare(dir) {
      mkdirSync(path.join(dir, 'isolation', 'assets'), { recursive: true });
      writeFileSync(path.join(dir, 'isolation', 'index.html'), runtimeHtml);
      writeFileSync(path.join(dir, 'isolation', 'assets', 'main.0123abcd.js'), 'console.log("runtime")');
      writeWidgetPlugin(dir, 'notes');
      writeWidgetPlugin(dir, 'hosted', {
        manifest: {
          frontend: {
            remote: 'https://cdn.example/teams/hosted/mf-manifest.json',
            contributions: [{ slot: 'dashboard.widget', id: 'w', module: './Widget' }],
          },
        },
      });
      writeWidgetPlugin(dir, 'switched-off');
      writeWidgetPlugin(dir, 'waiting', { manifest: { capabilities: ['read-metadata'] } });
      mkdirSync(path.join(dir, 'plugins', 'no-ui'));
      writeFileSync(
        path.join(dir, 'plugins', 'no-ui', 'manifest.json'),
        JSON.stringify({
          name: 'no-ui',
          version: '1.0.0',
          displayName: 'No UI',
          description: 'No frontend',
          author: { name: 'T' },
          compatibility: { workbench: '^0.1.0', pluginApi: 1 },
          capabilities: [],
        }),
      );
    },
  });
  const off = await app.server.inject({
    method: 'POST',
    url: '/api/plugins/switched-off/disable',
    headers: { cookie: app.adminCookie },
  });
  expect(off.statusCode).toBe(200);
});
afterAll(() => app.close());

describe('plugin frame documents', () => {
  test('an active plugin at its revision gets the runtime document under its own CSP, without a session', async () => {
    const response = await frame('notes', revision('notes'), { origin: 'null', 'sec-fetch-site': 'cross-site' });
    expect(response.statusCode).toBe(200);
    expect(response.body).toBe(runtimeHtml);
    expect(response.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(response.headers['cache-control']).toBe('no-store');
    const base = `http://wb.example:8080/plugins/notes/${revision('notes')}/frontend/`;
    expect(response.headers['content-security-policy']).toBe(
      [
        "default-src 'none'",
        `script-src http://wb.example:8080/isolation/ ${base}`,
        `style-src 'unsafe-inline' http://wb.example:8080/isolation/ ${base}`,
        `connect-src ${base}`,
        `img-src ${base} http://wb.example:8080/plugins/notes/${revision('notes')}/static/ data: blob:`,
        `font-src http://wb.example:8080/isolation/ ${base} data:`,
        "base-uri 'none'",
        "form-action 'none'",
        "frame-ancestors 'self'",
      ].join('; '),
    );
    // The app's framing ban would keep the shell from showing it; frame-ancestors 'self' says who may.
    expect(response.headers['x-frame-options']).toBeUndefined();
    expect(response.headers['x-content-type-options']).toBe('nosniff');
  });

  test('disabled, waiting, unknown or UI-less plugins and outdated revisions have no frame: JSON 404', async () => {
    for (const [name, rev] of [
      ['switched-off', revision('switched-off')],
      ['waiting', revision('waiting')],
      // A remote on its own origin waits for approval of that origin (its frame CSP: csp.test.ts).
      ['hosted', revision('hosted')],
      ['nobody', '1.0.0-0000000000'],
      ['no-ui', revision('no-ui')],
      ['notes', '1.0.0-0000000000'],
    ] as const) {
      const response = await frame(name, rev);
      expect(response.statusCode, name).toBe(404);
      expect(response.json().error.code, name).toBe('not_found');
      expect(response.body).not.toContain('<!doctype');
    }
  });

  test('the runtime files are readable from an opaque origin; hashed ones are cached for good', async () => {
    const script = await app.server.inject({ url: '/isolation/assets/main.0123abcd.js', headers: { origin: 'null' } });
    expect(script.statusCode).toBe(200);
    expect(script.headers['content-type']).toMatch(/javascript/);
    expect(script.headers['access-control-allow-origin']).toBe('*');
    expect(script.headers['cross-origin-resource-policy']).toBe('cross-origin');
    expect(script.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect((await app.server.inject('/isolation/index.html')).headers['cache-control']).toBe('no-cache');
    expect((await app.server.inject('/isolation/../plugins/notes/manifest.json')).statusCode).toBe(404);
    expect((await app.server.inject('/isolation/nothing.js')).statusCode).toBe(404);
  });
});

describe('without a built runtime', () => {
  test('a frame answers 503 naming what to do', async () => {
    const bare = await startTestApp({ prepare: (dir) => writeWidgetPlugin(dir, 'notes') });
    try {
      const response = await bare.server.inject(`/plugin-frames/notes/${bare.plugins.get('notes')!.revision}/`);
      expect(response.statusCode).toBe(503);
      expect(response.json().error).toMatchObject({ code: 'frames_unavailable' });
      expect(response.json().error.message).toContain('npm run build');
    } finally {
      await bare.close();
    }
  });
});
