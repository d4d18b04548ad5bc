import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { testManifest } from '../../shared/testing/manifests.ts';
import { serveRemote, remoteFiles } from '../plugins/remote-pins/testing.ts';
import { testRecord } from '../plugins/test-records.ts';
import type { RegisteredPlugin } from '../plugins/registry.ts';
import { startTestApp, type TestApp } from '../testing/test-app.ts';
import { admitting, remoteOrigins } from './security-headers.ts';

const registered = (record: ReturnType<typeof testRecord>) =>
  ({ ...record, discoveredAt: '', assetsDirectory: '' }) as RegisteredPlugin;
const withRemote = (name: string, remote: string, state: RegisteredPlugin['state'] = 'active') =>
  registered(
    testRecord(name, {
      state,
      manifest: testManifest(name, { frontend: { remote, contributions: [] } }) as RegisteredPlugin['manifest'],
    }),
  );

describe('remoteOrigins', () => {
  test('the origins of active plugins with absolute remotes, once each, sorted', () => {
    expect(
      remoteOrigins([
        withRemote('b', 'https://cdn.example/team/v2/mf-manifest.json'),
        withRemote('a', 'https://cdn.example/other/remoteEntry.js'),
        withRemote('c', 'http://127.0.0.1:4820/1.0.0/mf-manifest.json'),
        withRemote('local', 'mf-manifest.json'),
        withRemote('waiting', 'https://unapproved.example/mf-manifest.json', 'pending-approval'),
        withRemote('off', 'https://disabled.example/mf-manifest.json', 'disabled'),
      ]),
    ).toEqual(['http://127.0.0.1:4820', 'https://cdn.example']);
  });
});

/** The directives of a Content-Security-Policy header, by name. */
function csp(header: unknown): Record<string, string[]> {
  expect(typeof header).toBe('string');
  return Object.fromEntries(
    (header as string).split(';').map((d) => {
      const [name, ...values] = d.trim().split(/\s+/);
      return [name!, values];
    }),
  );
}

describe('admitting', () => {
  test('adds the origins to the directives that name remotes, and nowhere else', () => {
    const csp = "default-src 'self';script-src 'self' https://cdn.example;frame-src 'self';connect-src 'self'";
    expect(admitting(csp, ['http://127.0.0.1:4999'])).toBe(
      "default-src 'self';script-src 'self' https://cdn.example http://127.0.0.1:4999;frame-src 'self';connect-src 'self' http://127.0.0.1:4999",
    );
    expect(admitting(csp, [])).toBe(csp);
  });
});

describe('security headers', () => {
  let app: TestApp;
  let remote: Awaited<ReturnType<typeof serveRemote>>;
  beforeAll(async () => {
    remote = await serveRemote(remoteFiles());
    app = await startTestApp({
      env: { SHELL_DIST_DIR: 'shell' },
      prepare(dir) {
        mkdirSync(path.join(dir, 'shell', 'assets'), { recursive: true });
        writeFileSync(
          path.join(dir, 'shell', 'index.html'),
          '<!doctype html><div id="root"></div><script src="/assets/main.js"></script>',
        );
        writeFileSync(path.join(dir, 'shell', 'assets', 'main.js'), 'console.log("shell")');
        const folder = path.join(dir, 'plugins', 'cdn-widget');
        mkdirSync(path.join(folder, 'static'), { recursive: true });
        writeFileSync(path.join(folder, 'static', 'icon.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>');
        const contributions = [{ slot: 'dashboard.widget', id: 'w', title: 'W', module: './Widget' }];
        const manifest = testManifest('cdn-widget', {
          icon: 'icon.svg',
          frontend: { remote: `${remote.origin}/v1/mf-manifest.json`, contributions },
        });
        writeFileSync(path.join(folder, 'manifest.json'), JSON.stringify(manifest));
      },
    });
  });
  afterAll(async () => {
    await app.close();
    await remote.close();
  });

  const shellPage = () => app.server.inject({ url: '/', headers: { accept: 'text/html' } });

  test('the shell page: a CSP without inline or eval scripts, no framing, nosniff, no referrer', async () => {
    const page = await shellPage();
    expect(page.statusCode).toBe(200);
    const policy = csp(page.headers['content-security-policy']);
    expect(policy['default-src']).toEqual(["'self'"]);
    expect(policy['script-src']).toContain("'self'");
    expect(policy['script-src-attr']).toEqual(["'none'"]);
    for (const directive of ['script-src', 'connect-src', 'default-src']) {
      expect(policy[directive]).not.toContain("'unsafe-inline'");
      expect(policy[directive]).not.toContain("'unsafe-eval'");
      expect(policy[directive]).not.toContain('*');
    }
    expect(policy['frame-ancestors']).toEqual(["'none'"]);
    // The shell may frame its own isolated plugin frames (on its origin or on a plugin's loopback site), nothing else.
    expect(policy['frame-src']).toEqual(["'self'", 'http://*.localhost:*', 'https://*.localhost:*']);
    expect(policy['object-src']).toEqual(["'none'"]);
    expect(policy['upgrade-insecure-requests']).toBeUndefined();
    expect(page.headers['x-frame-options']).toBe('DENY');
    expect(page.headers['x-content-type-options']).toBe('nosniff');
    expect(page.headers['referrer-policy']).toBe('no-referrer');
    // Over plain HTTP (COOKIE_SECURE unset) no HSTS, which would lock browsers out of an HTTP-only install.
    expect(page.headers['strict-transport-security']).toBeUndefined();
  });

  test('API JSON, its errors, shell assets and plugin static files carry the headers and keep working', async () => {
    const cookie = app.adminCookie;
    const json = await app.server.inject({ url: '/api/auth/me', headers: { cookie } });
    const error = await app.server.inject({ url: '/api/auth/me' });
    const asset = await app.server.inject('/assets/main.js');
    const plugin = (await app.server.inject({ url: '/api/plugins/cdn-widget', headers: { cookie } })).json();
    const icon = await app.server.inject({ url: plugin.iconUrl, headers: { cookie } });
    for (const [response, status] of [
      [json, 200],
      [error, 401],
      [asset, 200],
    ] as const) {
      expect(response.statusCode).toBe(status);
      expect(response.headers['x-content-type-options']).toBe('nosniff');
      expect(response.headers['content-security-policy']).toContain("frame-ancestors 'none'");
    }
    // A plugin's own files get a stricter policy: opened from this origin, an SVG or HTML file is inert.
    expect(icon.statusCode).toBe(200);
    expect(icon.headers['x-content-type-options']).toBe('nosniff');
    expect(icon.headers['content-security-policy']).toBe('sandbox');
    expect(icon.headers['content-type']).toMatch(/^image\/svg\+xml/);
  });

  test("an approved remote's origin is allowed for scripts and fetches while its plugin is active, and only then", async () => {
    const cookie = app.adminCookie;
    const allowed = async () => {
      const policy = csp((await shellPage()).headers['content-security-policy']);
      const inScripts = policy['script-src']!.includes(remote.origin);
      expect(policy['connect-src']!.includes(remote.origin)).toBe(inScripts);
      return inScripts;
    };
    const plugin = () => app.server.inject({ url: '/api/plugins/cdn-widget', headers: { cookie } });
    expect((await plugin()).json().state).toBe('pending-approval');
    expect(await allowed()).toBe(false);

    const approved = await app.server.inject({
      method: 'POST',
      url: '/api/plugins/cdn-widget/approve',
      headers: { cookie },
      payload: { version: '1.0.0' },
    });
    expect(approved.statusCode, approved.body).toBe(200);
    expect((await plugin()).json().state).toBe('active');
    expect(await allowed()).toBe(true);

    const disabled = await app.server.inject({
      method: 'POST',
      url: '/api/plugins/cdn-widget/disable',
      headers: { cookie },
    });
    expect(disabled.statusCode).toBe(200);
    expect(await allowed()).toBe(false);
  });
});
