import { chmodSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { startTestApp, type TestApp } from '../testing/test-app.ts';
import { call, pluginZip, postZip } from '../plugins/installation/testing.ts';
import { createSandboxFeature, pluginBackendsOf } from './feature.ts';
import { approve, callExt, eventually, withFixtures } from './testing.ts';

// The backend follows the plugin (issue 13 item 6): `POST /api/plugins/:name/reload` runs the backend code on disk
// now, and after an update or a rollback through the API, a change to the backend files in the folder now in use
// reaches the running backend.
let app: TestApp | undefined;
afterEach(async () => {
  await app?.close();
  app = undefined;
});

const build = async (a: TestApp, name: string) => {
  const response = await callExt(a, `/api/ext/${name}/build`);
  return response.statusCode === 200 ? (response.json() as { build: number; pid: number }) : undefined;
};

describe('reload', () => {
  test('POST reload answers once the new backend code serves; code that does not start keeps the old serving', async () => {
    app = await startTestApp({
      features: [createSandboxFeature()],
      env: { PLUGINS_WATCH: 'false' },
      prepare: withFixtures('versioned'),
    });
    const a = app;
    await approve(a, 'versioned');
    const first = await eventually('the backend to serve', () => build(a, 'versioned'));
    expect(first.build).toBe(1);

    const buildFile = path.join(a.dir, 'plugins', 'versioned', 'backend', 'build.ts');
    writeFileSync(buildFile, 'export const build = 2;\n');
    const reloaded = await call(a, 'POST', '/api/plugins/versioned/reload');
    expect(reloaded.statusCode, reloaded.body).toBe(200);
    expect(reloaded.json()).toMatchObject({ name: 'versioned', state: 'active' });
    const second = await build(a, 'versioned');
    expect(second).toMatchObject({ build: 2 });
    expect(second!.pid).not.toBe(first.pid);

    // Unchanged code is started afresh too (a new process reads every module again).
    expect((await call(a, 'POST', '/api/plugins/versioned/reload')).statusCode).toBe(200);
    const third = await build(a, 'versioned');
    expect(third).toMatchObject({ build: 2 });
    expect(third!.pid).not.toBe(second!.pid);

    writeFileSync(buildFile, 'export const build = ;\n');
    const broken = await call(a, 'POST', '/api/plugins/versioned/reload');
    expect(broken.statusCode).toBe(409);
    expect(broken.json().error.message).toMatch(
      /^The backend of "versioned" did not start again from its code on disk: /,
    );
    expect(await build(a, 'versioned')).toEqual(third);
    expect(pluginBackendsOf(a.plugins)!.state('versioned').state).toBe('active');
  }, 60_000);
});

const backendFiles = (buildNumber: number) => [
  { name: 'backend/' },
  {
    name: 'backend/index.ts',
    data: `import { build } from './build.ts';
export async function activate(host) {
  await host.routes.register('GET', '/build', () => ({ body: { build, pid: process.pid } }));
}\n`,
  },
  { name: 'backend/build.ts', data: `export const build = ${buildNumber};\n` },
];
const manifest = (version: string) => ({ version, capabilities: ['extend-api'], backend: { entry: 'index.ts' } });

describe('the backend watcher follows updates and rollbacks', () => {
  test('after an update and after a rollback through the API, a change to the backend code is served', async () => {
    app = await startTestApp({
      features: [createSandboxFeature()],
      env: { PLUGINS_WATCH: 'true' },
      prepare: (dir) => chmodSync(dir, 0o755),
    });
    const a = app;
    const installed = await postZip(a, '/api/plugins/install', pluginZip('coder', manifest('1.0.0'), backendFiles(1)));
    expect(installed.statusCode, installed.body).toBe(201);
    await approve(a, 'coder');
    await eventually('1.0.0 to serve build 1', async () => ((await build(a, 'coder'))?.build === 1 ? true : undefined));

    const updated = await postZip(
      a,
      '/api/plugins/coder/update',
      pluginZip('coder', manifest('1.1.0'), backendFiles(2)),
    );
    expect(updated.json().status, updated.body).toBe('activated');
    await eventually('1.1.0 to serve build 2', async () => ((await build(a, 'coder'))?.build === 2 ? true : undefined));
    const buildFile = path.join(a.dir, 'plugins', 'coder', 'backend', 'build.ts');
    writeFileSync(buildFile, 'export const build = 3;\n');
    await eventually(
      'the edit in the updated folder to be served',
      async () => ((await build(a, 'coder'))?.build === 3 ? true : undefined),
      15_000,
    );

    const rolledBack = await call(a, 'POST', '/api/plugins/coder/rollback', {});
    expect(rolledBack.statusCode, rolledBack.body).toBe(200);
    await eventually('1.0.0 to serve build 1 again', async () =>
      (await build(a, 'coder'))?.build === 1 ? true : undefined,
    );
    writeFileSync(buildFile, 'export const build = 4;\n');
    await eventually(
      'the edit in the rolled-back folder to be served',
      async () => ((await build(a, 'coder'))?.build === 4 ? true : undefined),
      15_000,
    );
    // The plugins folder's watcher follows too: an edit of the manifest now in use is discovered.
    const manifestFile = path.join(a.dir, 'plugins', 'coder', 'manifest.json');
    const current = JSON.parse(readFileSync(manifestFile, 'utf8'));
    writeFileSync(manifestFile, JSON.stringify({ ...current, description: 'Edited after the rollback.' }));
    await eventually('the edited manifest to be discovered', () =>
      a.plugins.get('coder')?.manifest?.description === 'Edited after the rollback.' ? true : undefined,
    );
  }, 90_000);
});
