import { existsSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { testManifest } from '../../../shared/testing/manifests.ts';
import { startTestApp, type TestApp, type TestAppOptions } from '../../testing/test-app.ts';
import { call, gitRepository, leftovers, pluginZip, postZip, writePluginFolder } from './testing.ts';
import { writeZip } from '@dbt-workbench/plugin-sdk/node/zip-writer';

let app: TestApp | undefined;
afterEach(async () => {
  await app?.close();
  app = undefined;
});

async function start(options: TestAppOptions = {}): Promise<TestApp> {
  app = await startTestApp({ features: [], ...options });
  return app;
}

async function installationRow(a: TestApp, name: string) {
  return a.context.db.get<{ version: string; source: string; checksum: string }>(
    'SELECT version, source, checksum FROM plugin_installations WHERE name = ?',
    [name],
  );
}

/** Every refusal must leave the data and plugins directories exactly as they were. */
async function expectRefusedCleanly(
  a: TestApp,
  response: Awaited<ReturnType<typeof call>>,
  status: number,
  message: string | RegExp,
): Promise<void> {
  const before = { staging: [], trash: [], pending: [], plugins: [] as string[] };
  expect(response.statusCode, response.body).toBe(status);
  expect(response.json().error.message).toMatch(message);
  expect(leftovers(a)).toEqual(before);
  expect(await a.context.db.all('SELECT * FROM plugin_installations')).toEqual([]);
  expect(await a.context.db.all('SELECT * FROM plugin_operations')).toEqual([]);
}

describe('install from a zip upload', () => {
  test('installs into PLUGINS_DIRECTORY, waits for approval, records source and checksum, and is audited', async () => {
    const a = await start();
    const zip = pluginZip('owners', { capabilities: ['read-metadata'] });
    const response = await postZip(a, '/api/plugins/install', zip);
    expect(response.statusCode, response.body).toBe(201);
    expect(response.json()).toMatchObject({
      plugin: { name: 'owners', version: '1.0.0', state: 'pending-approval', capabilities: ['read-metadata'] },
      installation: { name: 'owners', version: '1.0.0', source: 'upload', previousVersion: null },
      warnings: [],
    });
    expect(response.json().installation.checksum).toMatch(/^sha256:[a-f0-9]{64}$/);
    expect(JSON.parse(readFileSync(path.join(a.dir, 'plugins', 'owners', 'manifest.json'), 'utf8')).name).toBe(
      'owners',
    );
    expect(await installationRow(a, 'owners')).toMatchObject({ version: '1.0.0', source: 'upload' });
    expect(leftovers(a)).toMatchObject({ staging: [], trash: [], plugins: ['owners'] });

    const audit = (await call(a, 'GET', '/api/audit')).json().entries;
    expect(audit[0]).toMatchObject({
      action: 'plugin.install',
      target: 'owners',
      actorName: 'admin',
      details: { version: '1.0.0', source: 'upload', capabilities: ['read-metadata'] },
    });
  });

  test('a plugin without capabilities is active at once', async () => {
    const a = await start();
    expect((await postZip(a, '/api/plugins/install', pluginZip('tips'))).json().plugin.state).toBe('active');
  });

  test('an archive made by zipping the plugin folder itself is accepted', async () => {
    const a = await start();
    const zip = writeZip([
      { name: 'tips/' },
      { name: 'tips/manifest.json', data: JSON.stringify(testManifest('tips', { icon: 'icon.svg' })) },
      { name: 'tips/static/icon.svg', data: '<svg/>' },
    ]);
    const response = await postZip(a, '/api/plugins/install', zip);
    expect(response.statusCode, response.body).toBe(201);
    expect(existsSync(path.join(a.dir, 'plugins', 'tips', 'static', 'icon.svg'))).toBe(true);
  });

  test('a second install of the same name is refused with 409: use update', async () => {
    const a = await start();
    await postZip(a, '/api/plugins/install', pluginZip('owners'));
    const again = await postZip(a, '/api/plugins/install', pluginZip('owners', { version: '2.0.0' }));
    expect(again.statusCode).toBe(409);
    expect(again.json().error.message).toContain('already installed (version 1.0.0); update it instead');
    expect(leftovers(a)).toMatchObject({ staging: [], plugins: ['owners'] });
    expect(JSON.parse(readFileSync(path.join(a.dir, 'plugins', 'owners', 'manifest.json'), 'utf8')).version).toBe(
      '1.0.0',
    );
  });

  test('only instance admins may install; a session is needed', async () => {
    const a = await start();
    const workspaceAdmin = await a.userWithRoles('ws-admin', { default: 'admin' });
    expect((await postZip(a, '/api/plugins/install', pluginZip('owners'), workspaceAdmin)).statusCode).toBe(403);
    expect((await postZip(a, '/api/plugins/install', pluginZip('owners'), '')).statusCode).toBe(401);
    expect(leftovers(a).plugins).toEqual([]);
  });
});

describe('bad packages are refused with what is wrong and leave no files', () => {
  test('a corrupt archive', async () => {
    const a = await start();
    const response = await postZip(a, '/api/plugins/install', Buffer.from('PK\u0003\u0004 this is not really a zip'));
    await expectRefusedCleanly(a, response, 400, /^This package cannot be used: not a zip archive/);
    expect(response.json().error.code).toBe('package_invalid');
  });

  test('a truncated archive', async () => {
    const a = await start();
    const zip = pluginZip('owners');
    const response = await postZip(a, '/api/plugins/install', zip.subarray(0, zip.length - 40));
    await expectRefusedCleanly(a, response, 400, /not a zip archive, or a truncated one/);
  });

  test('zip-slip paths', async () => {
    const a = await start();
    const zip = pluginZip('owners', {}, [{ name: '../../escaped.txt', data: 'gotcha' }]);
    const response = await postZip(a, '/api/plugins/install', zip);
    await expectRefusedCleanly(a, response, 400, /"..\/..\/escaped.txt" climbs out of the package/);
    expect(response.json().error.details.problems).toEqual(['"../../escaped.txt" climbs out of the package with ".."']);
    expect(existsSync(path.join(a.dir, 'escaped.txt'))).toBe(false);
    expect(existsSync(path.join(a.dir, 'data', 'escaped.txt'))).toBe(false);
  });

  test('absolute paths', async () => {
    const a = await start();
    const response = await postZip(a, '/api/plugins/install', pluginZip('owners', {}, [{ name: '/tmp/x', data: 'x' }]));
    await expectRefusedCleanly(a, response, 400, /"\/tmp\/x" is an absolute path/);
  });

  test('symlinks pointing out, in an archive and in a folder', async () => {
    const a = await start();
    const zip = pluginZip('owners', {}, [{ name: 'static/passwd', symlinkTo: '../../../../etc/passwd' }]);
    await expectRefusedCleanly(
      a,
      await postZip(a, '/api/plugins/install', zip),
      400,
      /"static\/passwd" is a symlink pointing outside the package/,
    );
    const folder = writePluginFolder(path.join(a.dir, 'src-owners'), 'owners');
    symlinkSync('/etc/passwd', path.join(folder, 'static', 'passwd'));
    await expectRefusedCleanly(
      a,
      await call(a, 'POST', '/api/plugins/install', { path: folder }),
      400,
      /static\/passwd" is a symlink pointing outside the package/,
    );
  });

  test('too large, as an upload and once unpacked', async () => {
    const a = await start({ env: { PLUGIN_MAX_PACKAGE_MB: '0.01' } });
    const noise = Buffer.from(Array.from({ length: 20_000 }, (_, i) => (i * 7919) % 251));
    const big = writeZip([{ name: 'noise.bin', data: noise }], { compress: false });
    await expectRefusedCleanly(a, await postZip(a, '/api/plugins/install', big), 400, /larger than 10486 bytes/);
    const bomb = pluginZip('owners', {}, [{ name: 'zeros.bin', data: Buffer.alloc(1_000_000) }]);
    expect(bomb.length).toBeLessThan(10_000);
    await expectRefusedCleanly(
      a,
      await postZip(a, '/api/plugins/install', bomb),
      400,
      /unpacks to more than 10486 bytes/,
    );
  });

  test('too many files', async () => {
    const a = await start({ env: { PLUGIN_MAX_PACKAGE_FILES: '5' } });
    const many = Array.from({ length: 5 }, (_, i) => ({ name: `static/f${i}.txt`, data: 'x' }));
    await expectRefusedCleanly(
      a,
      await postZip(a, '/api/plugins/install', pluginZip('owners', {}, many)),
      400,
      /8 entries; at most 5 are allowed/,
    );
  });

  test('a missing manifest', async () => {
    const a = await start();
    const zip = writeZip([{ name: 'README.md', data: 'no manifest here' }]);
    await expectRefusedCleanly(a, await postZip(a, '/api/plugins/install', zip), 400, /no manifest.json at its root/);
  });

  test('an invalid manifest, listing every problem', async () => {
    const a = await start();
    const zip = pluginZip('owners', { version: 'one', capabilities: ['read-everything'] });
    const response = await postZip(a, '/api/plugins/install', zip);
    await expectRefusedCleanly(a, response, 400, /manifest.json is invalid/);
    const problems: string[] = response.json().error.details.problems;
    expect(problems.some((p) => p.startsWith('version:'))).toBe(true);
    expect(problems.some((p) => p.startsWith('capabilities[0]:'))).toBe(true);
  });

  test('a manifest that is not JSON', async () => {
    const a = await start();
    const zip = writeZip([{ name: 'manifest.json', data: '{ "name": ' }]);
    await expectRefusedCleanly(a, await postZip(a, '/api/plugins/install', zip), 400, /not valid JSON/);
  });

  test('a plugin this server cannot run', async () => {
    const a = await start({ env: { PLUGIN_FORBIDDEN_CAPABILITIES: 'extend-api' } });
    await expectRefusedCleanly(
      a,
      await postZip(
        a,
        '/api/plugins/install',
        pluginZip('future', { compatibility: { workbench: '>=9', pluginApi: 1 } }),
      ),
      400,
      /cannot run on this server: needs dbt-Workbench >=9/,
    );
    await expectRefusedCleanly(
      a,
      await postZip(a, '/api/plugins/install', pluginZip('routes', { capabilities: ['extend-api'] })),
      400,
      /policy forbids the capabilities extend-api/,
    );
  });

  test('a package the signing policy would refuse to load (PLUGIN_SIGNATURES=require, unsigned)', async () => {
    const a = await start({ env: { PLUGIN_SIGNATURES: 'require' } });
    await expectRefusedCleanly(
      a,
      await postZip(a, '/api/plugins/install', pluginZip('unsigned')),
      400,
      /the plugin is invalid: .*the package is not signed/,
    );
  });

  test('a frontend that is not built', async () => {
    const a = await start();
    const zip = pluginZip('widget', {
      frontend: { remote: 'mf-manifest.json', contributions: [{ slot: 'dashboard.widget', id: 'w', module: './W' }] },
    });
    await expectRefusedCleanly(a, await postZip(a, '/api/plugins/install', zip), 400, /build the plugin's frontend/);
  });

  test('bodies that name no source, or two', async () => {
    const a = await start();
    const none = await call(a, 'POST', '/api/plugins/install', {});
    await expectRefusedCleanly(a, none, 400, /exactly one source/);
    const two = await call(a, 'POST', '/api/plugins/install', { path: '/x', git: 'file:///y' });
    await expectRefusedCleanly(a, two, 400, /not path and git/);
    const stray = await call(a, 'POST', '/api/plugins/install', { path: '/x', ref: 'v1' });
    await expectRefusedCleanly(a, stray, 400, /ref: only goes with "git"/);
  });
});

describe('install from a local path', () => {
  test('a folder is copied (not moved) and recorded with a tree checksum', async () => {
    const a = await start();
    const folder = writePluginFolder(path.join(a.dir, 'src-owners'), 'owners');
    const response = await call(a, 'POST', '/api/plugins/install', { path: folder });
    expect(response.statusCode, response.body).toBe(201);
    expect(response.json().installation).toMatchObject({ source: `path:${folder}` });
    expect(response.json().installation.checksum).toMatch(/^tree-sha256:[a-f0-9]{64}$/);
    expect(existsSync(path.join(folder, 'manifest.json'))).toBe(true);
    expect(existsSync(path.join(a.dir, 'plugins', 'owners', 'static', 'icon.svg'))).toBe(true);
  });

  test('a zip file on the server', async () => {
    const a = await start();
    const file = path.join(a.dir, 'owners.zip');
    writeFileSync(file, pluginZip('owners'));
    const response = await call(a, 'POST', '/api/plugins/install', { path: file });
    expect(response.statusCode, response.body).toBe(201);
    expect(response.json().installation.checksum).toMatch(/^sha256:/);
  });

  test('a relative or missing path is refused', async () => {
    const a = await start();
    await expectRefusedCleanly(
      a,
      await call(a, 'POST', '/api/plugins/install', { path: 'plugins/x' }),
      400,
      /must be an absolute path/,
    );
    await expectRefusedCleanly(
      a,
      await call(a, 'POST', '/api/plugins/install', { path: path.join(a.dir, 'nothing') }),
      400,
      /does not exist on the server/,
    );
  });
});

describe('install from git', () => {
  test('a tag, a commit, or the default branch of a repository', async () => {
    const a = await start();
    const repo = path.join(a.dir, 'repo');
    const commits = gitRepository(repo, 'owners', [{ version: '1.0.0' }, { version: '1.1.0' }]);
    const url = `file://${repo}`;

    const tagged = await call(a, 'POST', '/api/plugins/install', { git: url, ref: 'v1.0.0' });
    expect(tagged.statusCode, tagged.body).toBe(201);
    expect(tagged.json().installation).toMatchObject({
      version: '1.0.0',
      source: `git:${url}#v1.0.0@${commits['1.0.0']}`,
    });
    expect(existsSync(path.join(a.dir, 'plugins', 'owners', '.git'))).toBe(false);
    await call(a, 'DELETE', '/api/plugins/owners');

    const byCommit = await call(a, 'POST', '/api/plugins/install', { git: url, ref: commits['1.0.0'] });
    expect(byCommit.statusCode, byCommit.body).toBe(201);
    expect(byCommit.json().plugin.version).toBe('1.0.0');
    await call(a, 'DELETE', '/api/plugins/owners');

    const head = await call(a, 'POST', '/api/plugins/install', { git: url });
    expect(head.json().plugin.version).toBe('1.1.0');
    expect(leftovers(a).staging).toEqual([]);
  });

  test('an unknown ref, an unreachable repository and an option posing as a URL are refused', async () => {
    const a = await start();
    const repo = path.join(a.dir, 'repo');
    gitRepository(repo, 'owners', [{ version: '1.0.0' }]);
    await expectRefusedCleanly(
      a,
      await call(a, 'POST', '/api/plugins/install', { git: `file://${repo}`, ref: 'v9.9.9' }),
      400,
      /no tag, branch or commit "v9.9.9"/,
    );
    await expectRefusedCleanly(
      a,
      await call(a, 'POST', '/api/plugins/install', { git: `file://${path.join(a.dir, 'nowhere')}` }),
      400,
      /git clone failed/,
    );
    await expectRefusedCleanly(
      a,
      await call(a, 'POST', '/api/plugins/install', { git: '--upload-pack=touch /tmp/x' }),
      400,
      /must be a repository URL, not an option/,
    );
  });
});

describe('when installing cannot happen at all', () => {
  test('with the plugin system off (PLUGIN_SYSTEM_ENABLED=false) nothing is installed', async () => {
    const a = await start({ env: { PLUGIN_SYSTEM_ENABLED: 'false' } });
    await expectRefusedCleanly(
      a,
      await postZip(a, '/api/plugins/install', pluginZip('owners')),
      409,
      /plugin system is turned off/,
    );
  });

  test('two installs of the same plugin at once: one wins, the other is refused', async () => {
    const a = await start();
    const answers = await Promise.all([
      postZip(a, '/api/plugins/install', pluginZip('owners')),
      postZip(a, '/api/plugins/install', pluginZip('owners', { version: '1.0.1' })),
    ]);
    expect(answers.map((r) => r.statusCode).sort()).toEqual([201, 409]);
    expect(leftovers(a)).toEqual({ staging: [], trash: [], pending: [], plugins: ['owners'] });
    expect(await a.context.db.all('SELECT name FROM plugin_installations')).toEqual([{ name: 'owners' }]);
  });
});
