import { existsSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { pluginZip, postZip } from '../plugins/installation/testing.ts';
import { startTestApp, type TestApp } from '../testing/test-app.ts';
import { createSandboxFeature } from './feature.ts';
import { approve, callExt, diagnosticsOf, eventually, withFixtures } from './testing.ts';

// Hostile grants, written from docs/plugin-authoring.md and put where an admin puts plugins (folders under
// PLUGINS_DIRECTORY, and zips through POST /api/plugins/install): each asks for something no plugin is given,
// and each is refused with the path and the reason, while the grants a plugin may have work as granted.

const refused = ['grants-root', 'grants-data-folder', 'grants-other-plugin', 'grants-symlink', 'grants-workspace'];
let app: TestApp;

beforeAll(async () => {
  app = await startTestApp({
    features: [createSandboxFeature({})],
    prepare: (dir) => {
      withFixtures('echo', 'writes-granted', 'net-granted', 'links-out', ...refused)(dir);
      // A folder of its own that leads, by a symlink made after it was written, into the data folder.
      symlinkSync(path.join(dir, 'data'), path.join(dir, 'plugins', 'grants-symlink', 'cache'));
      symlinkSync(path.join(dir, 'data'), path.join(dir, 'plugins', 'links-out', 'notes'));
      mkdirSync(path.join(dir, 'exports'), { mode: 0o777 });
      mkdirSync(path.join(dir, 'reference'));
      writeFileSync(path.join(dir, 'reference', 'rates.csv'), 'eur,1\n');
    },
  });
  for (const name of ['echo', 'writes-granted', 'net-granted', 'links-out']) await approve(app, name);
}, 30_000);
afterAll(() => app?.close());

const stateOf = async (name: string) =>
  (await app.server.inject({ url: `/api/plugins/${name}`, headers: { cookie: app.adminCookie } })).json() as {
    state: string;
    reason?: string;
  };
const rejected = async (plugin: string) =>
  (await diagnosticsOf(app, plugin)).rejectedActions.map((r) => r.message).join('\n');

describe('grants no plugin is given are refused, whatever its manifest says', () => {
  test.each([
    ['grants-root', /permissions.fs "\/" is refused: it contains .*\/data, the app's data folder/],
    ['grants-data-folder', /permissions.fs "..\/..\/data" \(.*\/data\) is refused: it is .*\/data, the app's data/],
    [
      'grants-other-plugin',
      /permissions.fs "..\/echo" \(.*\) is refused: it is inside another plugin's folder \("echo"\)/,
    ],
    ['grants-symlink', /permissions.fs "cache" \(.*\/data\) is refused: it is .*\/data, the app's data folder/],
    [
      'grants-workspace',
      /permissions.fs ".*" \(.*\/default\/target\) is refused: it is .*, the artifacts of workspace "default"/,
    ],
  ])('%s is invalid, with the path and why; its backend never starts', async (name, reason) => {
    const plugin = await stateOf(name);
    expect(plugin.state).toBe('invalid');
    expect(plugin.reason).toMatch(reason);
    expect((await diagnosticsOf(app, name)).pid).toBeUndefined();
    expect((await callExt(app, `/api/ext/${name}/list?path=/`)).statusCode).toBe(404);
  });

  test('a symlink in its own folder that leads into the data folder keeps its backend from starting', async () => {
    const diagnostics = await eventually('the backend to be refused', async () => {
      const d = await diagnosticsOf(app, 'links-out');
      return d.state === 'error' ? d : undefined;
    });
    expect(diagnostics.reason).toMatch(
      /its folder holds the symlink notes to .*\/data, refused: it is .*\/data, the app's data folder/,
    );
    expect(diagnostics.pid).toBeUndefined();
    const response = await callExt(app, '/api/ext/links-out/database');
    expect(response.statusCode).toBe(503);
    expect(response.body).toMatch(/its folder holds the symlink notes/);
  });

  test('installing a zip that asks for "/" is a 400 naming it, and changes nothing', async () => {
    const zip = pluginZip('grabs-everything', { permissions: { fs: ['/etc'] } });
    const response = await postZip(app, '/api/plugins/install', zip);
    expect(response.statusCode).toBe(400);
    expect(response.json().error.message).toMatch(/permissions.fs "\/etc" is refused: it contains \/etc\/shadow/);
    expect(existsSync(path.join(app.dir, 'plugins', 'grabs-everything'))).toBe(false);
  });

  test('an update that adds a grant into the data folder is a 400; the installed version stays', async () => {
    expect((await postZip(app, '/api/plugins/install', pluginZip('grows', {}))).statusCode).toBe(201);
    const update = pluginZip('grows', { version: '2.0.0', permissions: { fs: ['../../data'] } });
    const response = await postZip(app, '/api/plugins/grows/update', update);
    expect(response.statusCode).toBe(400);
    expect(response.json().error.message).toMatch(/permissions.fs "..\/..\/data" \(.*\/data\) is refused/);
    const manifest = JSON.parse(readFileSync(path.join(app.dir, 'plugins', 'grows', 'manifest.json'), 'utf8'));
    expect(manifest.version).not.toBe('2.0.0');
  });
});

describe('grants a plugin may have hold as granted, and no further', () => {
  test('it writes in its write grant, reads its read grant, and writes nowhere else', async () => {
    await eventually('writes-granted to serve', async () =>
      (await callExt(app, '/api/ext/writes-granted/read?path=/nothing')).statusCode === 502 ? true : undefined,
    );
    const exported = path.join(app.dir, 'exports', 'out.csv');
    const write = (target: string) =>
      callExt(app, `/api/ext/writes-granted/write?path=${encodeURIComponent(target)}`, { method: 'POST' });
    expect((await write(exported)).statusCode).toBe(201);
    expect(readFileSync(exported, 'utf8')).toBe('written by writes-granted');

    const reference = path.join(app.dir, 'reference', 'rates.csv');
    const read = await callExt(app, `/api/ext/writes-granted/read?path=${encodeURIComponent(reference)}`);
    expect(read.body).toBe('eur,1\n');
    expect((await write(reference)).statusCode).toBe(502);
    expect(readFileSync(reference, 'utf8')).toBe('eur,1\n');
    const outside = path.join(app.dir, 'escaped.txt');
    expect((await write(outside)).statusCode).toBe(502);
    expect(existsSync(outside)).toBe(false);
    expect(await rejected('writes-granted')).toMatch(/FileSystemWrite.*reference\/rates.csv/);
    expect(await rejected('writes-granted')).toMatch(/FileSystemWrite.*escaped.txt/);
  });

  test('permissions.network: localhost connects; an address, another host, a Unix socket, a rebound name do not', async () => {
    let connections = 0;
    const listener = net.createServer((socket) => {
      connections += 1;
      socket.end();
    });
    await new Promise<void>((resolve) => listener.listen(0, '127.0.0.1', resolve));
    const port = (listener.address() as net.AddressInfo).port;
    const socketPath = path.join(app.dir, 'exports', 'server.sock');
    const unix = net.createServer((socket) => socket.end());
    await new Promise<void>((resolve) => unix.listen(socketPath, resolve));
    try {
      await eventually('net-granted to connect to localhost', async () => {
        const r = await callExt(app, `/api/ext/net-granted/connect?host=localhost&port=${port}`);
        return r.statusCode === 200 ? r.body : undefined;
      });
      expect(connections).toBe(1);
      expect((await callExt(app, `/api/ext/net-granted/connect?host=127.0.0.1&port=${port}`)).statusCode).toBe(502);
      const fetched = await callExt(app, `/api/ext/net-granted/fetch?url=${encodeURIComponent('http://example.com/')}`);
      expect(fetched.statusCode).toBe(502);
      expect(
        (await callExt(app, `/api/ext/net-granted/connect?path=${encodeURIComponent(socketPath)}`)).statusCode,
      ).toBe(502);
      expect((await callExt(app, `/api/ext/net-granted/rebind?port=${port}`)).statusCode).toBe(502);
      const tampered = (await callExt(app, `/api/ext/net-granted/tamper?port=${port}`)).json();
      expect(tampered).toMatchObject({ connected: false, error: expect.stringContaining('is refused') });
      expect(tampered.held).not.toContain('Array.prototype.find');
      expect(tampered.held).not.toContain('String.prototype.toLowerCase');
      expect((await callExt(app, '/api/ext/net-granted/quiet?host=exfiltrate.example.net')).body).toBe(
        'nothing happened',
      );
      expect(connections).toBe(1);
      const seen = await rejected('net-granted');
      expect(seen).toContain(
        `connecting to 127.0.0.1:${port} is refused: permissions.network allows localhost, api.example.com`,
      );
      expect(seen).toContain(`connecting to api.example.com:${port} is refused: it resolved to 127.0.0.1`);
      expect(seen).toContain('connecting to example.com:80 is refused');
      expect(seen).toContain(`connecting to the Unix socket ${socketPath} is refused`);
      expect(seen).toContain('connecting to exfiltrate.example.net:443 is refused');
      const layers = (await diagnosticsOf(app, 'net-granted')).layers;
      expect(layers.find((l) => l.layer === 'network-namespace')?.active).toBe(false);
      expect(layers.find((l) => l.layer === 'network-guard')).toMatchObject({
        active: true,
        detail: expect.stringContaining('TCP and TLS only to localhost, api.example.com'),
      });
    } finally {
      listener.close();
      unix.close();
    }
  });
});
