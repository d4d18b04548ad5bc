import { cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, onTestFinished, test } from 'vitest';
import { type ManifestDoc } from '../../../shared/testing/manifests.ts';
import { remoteNameFor } from '@dbt-workbench/plugin-sdk/contracts/versions';
import { startTestApp, type TestApp, type TestAppOptions } from '../../testing/test-app.ts';
import { call, leftovers, pluginFiles, postZip } from './testing.ts';
import { writeZip, type ZipInput } from '@dbt-workbench/plugin-sdk/node/zip-writer';

/**
 * A hostile team's plugins, written from our docs: each claims a page path that release-notes (the example plugin,
 * with its real manifest) already serves, to take its page or knock it offline.
 */

const repoRoot = path.resolve(import.meta.dirname, '../../..');
const releaseNotesManifest = JSON.parse(
  readFileSync(path.join(repoRoot, 'plugins/release-notes/manifest.json'), 'utf8'),
);

/** release-notes as shipped, with its remote's manifest as a build leaves it. */
function writeReleaseNotes(pluginsDir: string): void {
  const dir = path.join(pluginsDir, 'release-notes');
  mkdirSync(path.join(dir, 'frontend'), { recursive: true });
  cpSync(path.join(repoRoot, 'plugins/release-notes/static'), path.join(dir, 'static'), { recursive: true });
  writeFileSync(path.join(dir, 'manifest.json'), JSON.stringify(releaseNotesManifest));
  const modules = releaseNotesManifest.frontend.contributions.map((c: { module: string }) => ({ path: c.module }));
  writeFileSync(
    path.join(dir, 'frontend', 'mf-manifest.json'),
    JSON.stringify({ name: remoteNameFor('release-notes'), exposes: modules }),
  );
}

/** A plugin package with one `nav.tab` at `pagePath` and a built remote. */
function tabPlugin(name: string, pagePath: string, extra: ManifestDoc = {}): ZipInput[] {
  const frontend = {
    remote: 'mf-manifest.json',
    contributions: [{ slot: 'nav.tab', id: 'tab', title: 'Notes', path: pagePath, module: './Page' }],
  };
  return [
    ...pluginFiles(name, { frontend, ...extra }),
    { name: 'frontend/' },
    {
      name: 'frontend/mf-manifest.json',
      data: JSON.stringify({ name: remoteNameFor(name), exposes: [{ path: './Page' }] }),
    },
  ];
}

const tabZip = (name: string, pagePath: string, extra: ManifestDoc = {}) => writeZip(tabPlugin(name, pagePath, extra));

let app: TestApp | undefined;
afterEach(async () => {
  await app?.close();
  app = undefined;
});

async function start(options: TestAppOptions = {}): Promise<TestApp> {
  app = await startTestApp({
    features: [],
    ...options,
    prepare(dir) {
      writeReleaseNotes(path.join(dir, 'plugins'));
      options.prepare?.(dir);
    },
  });
  return app;
}

const plugin = async (a: TestApp, name: string) => (await call(a, 'GET', `/api/plugins/${name}`)).json();

/** The pages the extensions API gives the shell of the default workspace: path and the plugin serving it. */
async function pages(a: TestApp): Promise<string[]> {
  const response = await call(a, 'GET', '/api/workspaces/default/extensions');
  return (response.json().extensions as { slot: string; path?: string; plugin: string }[])
    .filter((e) => e.slot === 'nav.tab' || e.slot === 'page')
    .map((e) => `${e.path} <- ${e.plugin}`)
    .sort();
}

/** release-notes is active and still serves its page. */
async function expectReleaseNotesServing(a: TestApp): Promise<void> {
  expect(await plugin(a, 'release-notes')).toMatchObject({ state: 'active', version: '1.0.0' });
  expect(await pages(a)).toContain('whats-new <- release-notes');
}

describe('install of a package claiming an installed plugin’s page path', () => {
  test('is refused with 409 naming the key, the owner and its version; nothing is written', async () => {
    const a = await start();
    await expectReleaseNotesServing(a);
    const response = await postZip(a, '/api/plugins/install', tabZip('notes-plus', 'whats-new'));
    expect(response.statusCode, response.body).toBe(409);
    expect(response.json().error).toEqual({
      code: 'conflict',
      message:
        'Plugin "notes-plus" 1.0.0 clashes with installed plugins: the page path "whats-new" belongs to ' +
        'release-notes 1.0.0. Nothing was changed; give it other page paths, or remove the owner first',
      details: {
        clashes: [
          {
            key: { kind: 'page-path', value: 'whats-new' },
            owner: 'release-notes',
            ownerVersion: '1.0.0',
            ownerKey: { kind: 'page-path', value: 'whats-new' },
          },
        ],
      },
    });
    expect(leftovers(a)).toEqual({ staging: [], trash: [], pending: [], plugins: ['release-notes'] });
    expect(await a.context.db.all('SELECT * FROM plugin_installations')).toEqual([]);
    expect((await call(a, 'GET', '/api/plugins/notes-plus')).statusCode).toBe(404);
    await expectReleaseNotesServing(a);
  });

  test('a path below the owner’s, which would take part of its pages, is refused too', async () => {
    const a = await start();
    const response = await postZip(a, '/api/plugins/install', tabZip('notes-plus', 'whats-new/latest'));
    expect(response.statusCode, response.body).toBe(409);
    expect(response.json().error.message).toContain(
      'the page path "whats-new/latest" lies under "whats-new", which belongs to release-notes 1.0.0',
    );
    expect(leftovers(a).plugins).toEqual(['release-notes']);
    await expectReleaseNotesServing(a);
  });

  test('a disabled owner keeps its path: re-enabling it must not find its page taken', async () => {
    const a = await start();
    const disabled = await call(a, 'POST', '/api/plugins/release-notes/disable');
    expect(disabled.statusCode, disabled.body).toBe(200);
    expect((await plugin(a, 'release-notes')).state).toBe('disabled');
    const response = await postZip(a, '/api/plugins/install', tabZip('notes-plus', 'whats-new'));
    expect(response.statusCode, response.body).toBe(409);
    expect(response.json().error.message).toContain(
      'the page path "whats-new" belongs to release-notes 1.0.0 (disabled)',
    );
  });

  test('a package with its own paths installs and serves beside the owner', async () => {
    const a = await start();
    const response = await postZip(a, '/api/plugins/install', tabZip('notes-plus', 'notes-plus'));
    expect(response.statusCode, response.body).toBe(201);
    expect(await pages(a)).toEqual(['notes-plus <- notes-plus', 'whats-new <- release-notes']);
  });
});

describe('update to a version claiming another plugin’s page path', () => {
  async function withNotesPlus(): Promise<TestApp> {
    const a = await start();
    const installed = await postZip(a, '/api/plugins/install', tabZip('notes-plus', 'notes-plus'));
    expect(installed.statusCode, installed.body).toBe(201);
    return a;
  }

  test('is refused with 409 naming the owner; the installed version and the owner keep serving', async () => {
    const a = await withNotesPlus();
    const update = tabZip('notes-plus', 'whats-new', { version: '1.1.0' });
    const response = await postZip(a, '/api/plugins/notes-plus/update', update);
    expect(response.statusCode, response.body).toBe(409);
    expect(response.json().error.message).toContain('the page path "whats-new" belongs to release-notes 1.0.0');
    expect(response.json().error.details.clashes[0].owner).toBe('release-notes');
    expect(await plugin(a, 'notes-plus')).toMatchObject({ state: 'active', version: '1.0.0' });
    expect(leftovers(a)).toEqual({ staging: [], trash: [], pending: [], plugins: ['notes-plus', 'release-notes'] });
    expect(await pages(a)).toEqual(['notes-plus <- notes-plus', 'whats-new <- release-notes']);
  });

  test('a dry run is refused the same way, before any diff', async () => {
    const a = await withNotesPlus();
    const update = tabZip('notes-plus', 'whats-new', { version: '1.1.0' });
    const response = await postZip(a, '/api/plugins/notes-plus/update?dryRun=true', update);
    expect(response.statusCode, response.body).toBe(409);
    expect(response.json().error.message).toContain('belongs to release-notes 1.0.0');
  });

  test('approving a pending update whose path another plugin took since is refused; the old version runs', async () => {
    const a = await withNotesPlus();
    const pending = tabZip('notes-plus', 'notes-plus-v2', { version: '2.0.0', capabilities: ['read-metadata'] });
    const staged = await postZip(a, '/api/plugins/notes-plus/update', pending);
    expect(staged.json().status, staged.body).toBe('pending-approval');
    const taker = await postZip(a, '/api/plugins/install', tabZip('taker', 'notes-plus-v2'));
    expect(taker.statusCode, taker.body).toBe(201);

    const approve = await call(a, 'POST', '/api/plugins/notes-plus/update/approve', { version: '2.0.0' });
    expect(approve.statusCode, approve.body).toBe(409);
    expect(approve.json().error.message).toContain('the page path "notes-plus-v2" belongs to taker 1.0.0');
    expect(await plugin(a, 'notes-plus')).toMatchObject({ state: 'active', version: '1.0.0' });
    expect(await pages(a)).toEqual([
      'notes-plus <- notes-plus',
      'notes-plus-v2 <- taker',
      'whats-new <- release-notes',
    ]);
  });
});

describe('rollback to a version whose page path another plugin took since', () => {
  test('is refused with 409 naming the owner; the running version stays', async () => {
    const a = await start();
    expect((await postZip(a, '/api/plugins/install', tabZip('notes-plus', 'notes'))).statusCode).toBe(201);
    const update = await postZip(
      a,
      '/api/plugins/notes-plus/update',
      tabZip('notes-plus', 'notes-v2', { version: '2.0.0' }),
    );
    expect(update.json().status, update.body).toBe('activated');
    expect((await postZip(a, '/api/plugins/install', tabZip('taker', 'notes'))).statusCode).toBe(201);

    const rollback = await call(a, 'POST', '/api/plugins/notes-plus/rollback', {});
    expect(rollback.statusCode, rollback.body).toBe(409);
    expect(rollback.json().error.message).toContain('the page path "notes" belongs to taker 1.0.0');
    expect(await plugin(a, 'notes-plus')).toMatchObject({ state: 'active', version: '2.0.0' });
    expect(await pages(a)).toEqual(['notes <- taker', 'notes-v2 <- notes-plus', 'whats-new <- release-notes']);
  });
});

/** Waits for the watcher to pick up a change: until `check` passes or 10 s pass. */
async function eventually(check: () => Promise<void>): Promise<void> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    try {
      return await check();
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}

/** Writes a plugin folder as someone copying it by hand would. */
function copyIn(pluginsDir: string, files: ZipInput[], name: string): void {
  for (const file of files) {
    const target = path.join(pluginsDir, name, file.name);
    if (file.name.endsWith('/')) mkdirSync(target, { recursive: true });
    else {
      mkdirSync(path.dirname(target), { recursive: true });
      writeFileSync(target, file.data ?? '');
    }
  }
}

describe('a clashing folder copied into the plugins folder', () => {
  test('of a running server: the newcomer is incompatible naming the owner, which stays active', async () => {
    const a = await start();
    await expectReleaseNotesServing(a);
    copyIn(path.join(a.dir, 'plugins'), tabPlugin('notes-plus', 'whats-new'), 'notes-plus');
    await eventually(async () => {
      expect(await plugin(a, 'notes-plus')).toMatchObject({
        state: 'incompatible',
        reason: 'the page path "whats-new" belongs to release-notes 1.0.0',
      });
    });
    await expectReleaseNotesServing(a);
    expect(await pages(a)).toEqual(['whats-new <- release-notes']);

    // Later refreshes keep it so, and removing the owner lets the newcomer run.
    await a.context.plugins.refresh();
    await expectReleaseNotesServing(a);
    expect((await call(a, 'DELETE', '/api/plugins/release-notes?confirm=true')).statusCode).toBe(200);
    await eventually(async () => expect(await pages(a)).toEqual(['whats-new <- notes-plus']));
  });

  test('a copy under the same name in a subfolder: the owner keeps serving, the copy is invalid', async () => {
    const a = await start();
    const copy = path.join(a.dir, 'plugins', 'aaa'); // sorts first, so discovery meets it first
    copyIn(copy, tabPlugin('release-notes', 'taken', { version: '9.0.0' }), 'release-notes');
    const copies = async () =>
      ((await call(a, 'GET', '/api/plugins')).json().plugins as { name: string; state: string; directory: string }[])
        .filter((p) => p.name === 'release-notes')
        .map((p) => `${path.relative(a.dir, p.directory)} ${p.state}`);
    await eventually(async () =>
      expect(await copies()).toEqual(['plugins/aaa/release-notes invalid', 'plugins/release-notes active']),
    );
    await a.context.plugins.refresh();
    expect(await copies()).toEqual(['plugins/aaa/release-notes invalid', 'plugins/release-notes active']);
    const listed = (await call(a, 'GET', '/api/plugins')).json().plugins as { directory: string; reason?: string }[];
    expect(listed.find((p) => p.directory === path.join(copy, 'release-notes'))?.reason).toBe(
      `the name "release-notes" belongs to the plugin in ${path.join(a.dir, 'plugins', 'release-notes')}; remove or rename this folder`,
    );
    // The owner, not the copy, answers to its name; its page is served.
    await expectReleaseNotesServing(a);
    expect(await pages(a)).toEqual(['whats-new <- release-notes']);
  });

  test('while the server was down: an installed owner keeps its path over a folder copied by hand', async () => {
    const first = await startTestApp({ features: [] });
    const installed = await postZip(first, '/api/plugins/install', tabZip('owner', 'quality'));
    expect(installed.statusCode, installed.body).toBe(201);
    const saved = `${first.dir}-saved`;
    await first.server.close();
    cpSync(first.dir, saved, { recursive: true });
    await first.close();
    onTestFinished(() => rmSync(saved, { recursive: true, force: true }));

    app = await startTestApp({
      features: [],
      prepare(dir) {
        cpSync(path.join(saved, 'data'), path.join(dir, 'data'), { recursive: true });
        cpSync(path.join(saved, 'plugins'), path.join(dir, 'plugins'), { recursive: true });
        // Sorts before "owner", so discovery meets it first.
        copyIn(path.join(dir, 'plugins'), tabPlugin('aaa-copied', 'quality'), 'aaa-copied');
      },
    });
    expect(await plugin(app, 'owner')).toMatchObject({ state: 'active' });
    expect(await plugin(app, 'aaa-copied')).toMatchObject({
      state: 'incompatible',
      reason: 'the page path "quality" belongs to owner 1.0.0',
    });
  });
});
