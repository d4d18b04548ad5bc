import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import type { ManifestDoc } from '../../../shared/testing/manifests.ts';
import { startTestApp, type TestApp } from '../../testing/test-app.ts';
import { packCatalog } from './catalog-pack.ts';
import { call, leftovers, writePluginFolder } from './testing.ts';

let app: TestApp | undefined;
let http: Server | undefined;
afterEach(async () => {
  await app?.close();
  app = undefined;
  await new Promise((resolve) => (http ? http.close(resolve) : resolve(undefined)));
  http = undefined;
});

const packages: { name: string; extra?: ManifestDoc }[] = [
  { name: 'owners', extra: { capabilities: ['read-metadata'], categories: ['ownership'], screenshots: ['shot.svg'] } },
  {
    name: 'owners',
    extra: { version: '1.1.0', capabilities: ['read-metadata', 'extend-api'], categories: ['ownership'] },
  },
  { name: 'owners', extra: { version: '9.0.0', compatibility: { workbench: '>=9', pluginApi: 1 } } },
  { name: 'future', extra: { displayName: 'Future plugin', compatibility: { workbench: '>=9', pluginApi: 1 } } },
  { name: 'notes', extra: { displayName: 'Notes', dependencies: { owners: '^1.0.0' } } },
];

/** Writes the catalog above into `<dir>/catalog` (one folder per package version, then packed). */
async function writeCatalog(dir: string): Promise<void> {
  const folders = packages.map(({ name, extra }, i) => {
    const folder = writePluginFolder(path.join(dir, 'catalog-src', `${name}-${i}`), name, extra);
    if (extra?.screenshots) writeFileSync(path.join(folder, 'static', 'shot.svg'), '<svg id="shot"/>');
    return folder;
  });
  await packCatalog(folders, path.join(dir, 'catalog'));
}

async function start(env: Record<string, string> = {}): Promise<TestApp> {
  let root = '';
  app = await startTestApp({
    features: [],
    env: { PLUGIN_CATALOG: 'catalog', ...env },
    prepare(dir) {
      root = dir;
    },
  });
  if (!env.PLUGIN_CATALOG || env.PLUGIN_CATALOG === 'catalog') await writeCatalog(root);
  return app;
}

const entryOf = async (a: TestApp, name: string) =>
  ((await call(a, 'GET', '/api/marketplace')).json().entries as { name: string }[]).find((e) => e.name === name) as
    Record<string, any> | undefined;

describe('GET /api/marketplace', () => {
  test('lists each plugin with its newest compatible version, every version, icon and screenshots', async () => {
    const a = await start();
    const response = await call(a, 'GET', '/api/marketplace');
    expect(response.statusCode, response.body).toBe(200);
    const body = response.json();
    // A folder on the server is named by its setting in the page, never by its path.
    expect(body.catalog).toEqual({ kind: 'folder' });
    expect(response.body).not.toContain(a.dir);
    expect(body.problems).toEqual([]);
    expect(body.entries.map((e: { name: string }) => e.name)).toEqual(['future', 'notes', 'owners']);

    const owners = await entryOf(a, 'owners');
    expect(owners).toMatchObject({
      version: '1.1.0',
      capabilities: ['read-metadata', 'extend-api'],
      compatible: true,
      categories: ['ownership'],
      updateAvailable: false,
      iconUrl: '/api/marketplace/packages/owners/1.1.0/static/icon.svg',
    });
    expect(owners!.installed).toBeUndefined();
    expect(owners!.versions.map((v: { version: string; compatible: boolean }) => [v.version, v.compatible])).toEqual([
      ['9.0.0', false],
      ['1.1.0', true],
      ['1.0.0', true],
    ]);
    expect(owners!.versions[0].problems).toEqual(['needs dbt-Workbench >=9, but this is 0.1.0']);

    expect(await entryOf(a, 'future')).toMatchObject({ compatible: false, problems: [expect.stringContaining('>=9')] });
    expect(await entryOf(a, 'notes')).toMatchObject({
      compatible: true,
      warnings: [
        'it stays inactive until its dependencies are met: needs plugin "owners" ^1.0.0, which is not installed',
      ],
    });

    const icon = await call(a, 'GET', owners!.iconUrl);
    expect(icon.statusCode).toBe(200);
    expect(icon.headers['content-type']).toBe('image/svg+xml');
    expect(icon.body).toContain('<svg');
    const v1 = (await call(a, 'GET', '/api/marketplace/packages/owners/1.0.0/static/shot.svg')).body;
    expect(v1).toBe('<svg id="shot"/>');
    expect((await call(a, 'GET', '/api/marketplace/packages/owners/1.0.0/static/missing.png')).statusCode).toBe(404);
    expect(
      (await call(a, 'GET', '/api/marketplace/packages/owners/1.0.0/static/../manifest.json')).statusCode,
    ).not.toBe(200);
  });

  test('installing from the marketplace takes the newest compatible version, or the one asked for', async () => {
    const a = await start();
    const installed = await call(a, 'POST', '/api/plugins/install', { marketplace: 'owners', version: '1.0.0' });
    expect(installed.statusCode, installed.body).toBe(201);
    expect(installed.json().installation).toMatchObject({ version: '1.0.0', source: 'marketplace:owners@1.0.0' });
    expect(await entryOf(a, 'owners')).toMatchObject({
      installed: { version: '1.0.0', state: 'pending-approval' },
      updateAvailable: true,
    });

    const preview = await call(a, 'POST', '/api/plugins/owners/update?dryRun=true', { marketplace: 'owners' });
    expect(preview.json().diff).toMatchObject({ to: { version: '1.1.0' }, added: ['extend-api'] });
    await call(a, 'POST', '/api/plugins/owners/approve', { version: '1.0.0' });
    const staged = await call(a, 'POST', '/api/plugins/owners/update', { marketplace: 'owners' });
    expect(staged.json().status).toBe('pending-approval');
    expect(await entryOf(a, 'owners')).toMatchObject({ installed: { version: '1.0.0' }, pendingVersion: '1.1.0' });

    const notes = await call(a, 'POST', '/api/plugins/install', { marketplace: 'notes' });
    expect(notes.json().warnings).toEqual([]);
    expect((await call(a, 'POST', '/api/plugins/install', { marketplace: 'nothing' })).statusCode).toBe(404);
    const incompatible = await call(a, 'POST', '/api/plugins/install', { marketplace: 'future' });
    expect(incompatible.statusCode).toBe(400);
    expect(incompatible.json().error.message).toContain('needs dbt-Workbench >=9');
  });

  test('a package that does not match its checksum is refused and leaves nothing', async () => {
    const a = await start();
    writeFileSync(path.join(a.dir, 'catalog', 'future-1.0.0.zip'), 'tampered');
    const response = await call(a, 'POST', '/api/plugins/install', { marketplace: 'future', version: '1.0.0' });
    expect(response.statusCode).toBe(400);
    expect(response.json().error.message).toContain('does not match the sha256 checksum');
    expect(leftovers(a)).toEqual({ staging: [], trash: [], pending: [], plugins: [] });
  });

  test('unusable entries are listed; an unreadable catalog is a 502 saying why', async () => {
    const a = await start();
    writeFileSync(
      path.join(a.dir, 'catalog', 'index.json'),
      JSON.stringify({ packages: [{ file: 'x.zip', manifest: { name: 'Bad Name' } }] }),
    );
    const listed = (await call(a, 'GET', '/api/marketplace')).json();
    expect(listed.entries).toEqual([]);
    expect(listed.problems[0]).toMatch(/^x.zip: its manifest is invalid: name:/);

    writeFileSync(path.join(a.dir, 'catalog', 'index.json'), '{ not json');
    const broken = await call(a, 'GET', '/api/marketplace');
    expect(broken.statusCode).toBe(502);
    expect(broken.json().error).toMatchObject({ code: 'catalog_unavailable' });
    expect(broken.json().error.message).toContain('index.json is not valid JSON');
    await a.close();

    app = await startTestApp({ features: [], env: { PLUGIN_CATALOG: 'nowhere' } });
    const missing = await call(app, 'GET', '/api/marketplace');
    expect(missing.statusCode).toBe(502);
    expect(missing.json().error.message).toMatch(/nowhere does not exist/);
  });

  test('a catalog served over http(s) works the same', async () => {
    const root = mkdtempSync(path.join(os.tmpdir(), 'wb-catalog-'));
    try {
      await writeCatalog(root);
      http = createServer((request, response) => {
        const file = path.join(root, 'catalog', path.basename(request.url ?? ''));
        if (!existsSync(file)) response.writeHead(404).end();
        else response.writeHead(200).end(readFileSync(file));
      });
      await new Promise<void>((resolve) => http!.listen(0, '127.0.0.1', resolve));
      const url = `http://127.0.0.1:${(http.address() as AddressInfo).port}/plugins/index.json`;
      app = await startTestApp({ features: [], env: { PLUGIN_CATALOG: url } });
      const list = (await call(app, 'GET', '/api/marketplace')).json();
      expect(list.catalog).toEqual({ kind: 'url', url });
      expect(list.entries).toHaveLength(3);
      const installed = await call(app, 'POST', '/api/plugins/install', { marketplace: 'owners' });
      expect(installed.statusCode, installed.body).toBe(201);
      expect(installed.json().plugin.version).toBe('1.1.0');
      const icon = await call(app, 'GET', '/api/marketplace/packages/owners/1.1.0/static/icon.svg');
      expect(icon.statusCode).toBe(200);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  test('only instance admins see the marketplace', async () => {
    const a = await start();
    const developer = await a.userWithRoles('dev', { default: 'developer' });
    expect((await call(a, 'GET', '/api/marketplace', undefined, developer)).statusCode).toBe(403);
    expect((await call(a, 'GET', '/api/marketplace/installations', undefined, developer)).statusCode).toBe(403);
  });
});
