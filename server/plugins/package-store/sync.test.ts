// The package store and a second replica's sync, in one process: replica A is a whole app (installs through its
// API), replica B is the package sync of other folders on A's database, as a second server on the same database
// would run it. What B's folders hold after each sync is what B would serve.
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { startTestApp, type TestApp } from '../../testing/test-app.ts';
import { crashPoint } from '../installation/crash.ts';
import { listInstallations } from '../installation/installations.ts';
import { createJournal } from '../installation/journal.ts';
import { packageLayout, type PackageLayout } from '../installation/layout.ts';
import { call, pluginZip, postZip } from '../installation/testing.ts';
import { localRevisions } from './revisions.ts';
import { digestOf, fetchPackage, PackageIntegrityError } from './store.ts';
import { createPackageSync, type PackageSync } from './sync.ts';

let app: TestApp;
let other: string;
let layoutB: PackageLayout;
let syncB: PackageSync;

beforeEach(async () => {
  app = await startTestApp({ features: [] });
  other = mkdtempSync(path.join(os.tmpdir(), 'wb-replica-b-'));
  mkdirSync(path.join(other, 'plugins'));
  layoutB = packageLayout(path.join(other, 'data'), path.join(other, 'plugins'));
  syncB = createPackageSync({
    db: app.context.db,
    layout: layoutB,
    limits: app.context.settings.pluginPackages,
    crash: crashPoint(undefined),
    logger: pino({ level: 'silent' }),
  });
});
afterEach(async () => {
  await app.close();
  rmSync(other, { recursive: true, force: true });
});

const versionOnB = (name: string) =>
  existsSync(path.join(layoutB.pluginsDirectory, name, 'manifest.json'))
    ? (
        JSON.parse(readFileSync(path.join(layoutB.pluginsDirectory, name, 'manifest.json'), 'utf8')) as {
          version: string;
        }
      ).version
    : null;
const listed = (dir: string) => (existsSync(dir) ? readdirSync(dir).sort() : []);

async function installOnA(version = '1.0.0', capabilities = ['read-metadata']): Promise<void> {
  const response = await postZip(app, '/api/plugins/install', pluginZip('owners', { version, capabilities }));
  expect(response.statusCode, response.body).toBe(201);
  expect((await call(app, 'POST', '/api/plugins/owners/approve', { version })).statusCode).toBe(200);
}

describe('plugin packages across replicas', () => {
  test('an install through A is stored by its digest, and B puts the very same files in place', async () => {
    await installOnA();
    const row = await app.context.db.get<{ digest: string }>(
      "SELECT digest FROM plugin_installations WHERE name = 'owners'",
    );
    expect(row?.digest).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(digestOf(await fetchPackage(app.context.db, row!.digest))).toBe(row!.digest);

    expect(await syncB.run()).toEqual({ fetched: ['owners'], removed: [], failed: [] });
    const onA = path.join(app.dir, 'plugins', 'owners');
    const onB = path.join(layoutB.pluginsDirectory, 'owners');
    for (const file of ['manifest.json', 'static/icon.svg']) {
      expect(readFileSync(path.join(onB, file), 'utf8')).toBe(readFileSync(path.join(onA, file), 'utf8'));
    }
    expect(listed(layoutB.staging)).toEqual([]);
    expect(listed(layoutB.trash)).toEqual([]);

    // Up to date: the next sync reads the digests only and puts nothing in place.
    expect(await syncB.run()).toEqual({ fetched: [], removed: [], failed: [] });

    // A revision file lost (a crash just after the swap): a folder that differs from the package is replaced, one
    // that holds it exactly is kept as it is.
    rmSync(path.join(layoutB.root, 'revisions', 'installed', 'owners'));
    writeFileSync(path.join(onB, 'static', 'marker'), 'kept');
    await syncB.run();
    expect(existsSync(path.join(onB, 'static', 'marker'))).toBe(false);
    rmSync(path.join(layoutB.root, 'revisions', 'installed', 'owners'));
    expect(await syncB.run()).toEqual({ fetched: [], removed: [], failed: [] });
    expect(readFileSync(path.join(layoutB.root, 'revisions', 'installed', 'owners'), 'utf8')).toBe(row!.digest);
  });

  test('an update, a staged update and its approval through A each reach B; a removal through A removes it on B', async () => {
    await installOnA();
    await syncB.run();
    const update = await postZip(
      app,
      '/api/plugins/owners/update',
      pluginZip('owners', { version: '1.1.0', capabilities: ['read-metadata'] }),
    );
    expect(update.json().status, update.body).toBe('activated');
    await syncB.run();
    expect(versionOnB('owners')).toBe('1.1.0');

    const staged = await postZip(
      app,
      '/api/plugins/owners/update',
      pluginZip('owners', { version: '2.0.0', capabilities: ['read-metadata', 'extend-api'] }),
    );
    expect(staged.json().status, staged.body).toBe('pending-approval');
    await syncB.run();
    expect(versionOnB('owners')).toBe('1.1.0');
    expect(listed(layoutB.pending)).toEqual(['owners']);

    expect((await call(app, 'POST', '/api/plugins/owners/update/approve', { version: '2.0.0' })).statusCode).toBe(200);
    await syncB.run();
    expect(versionOnB('owners')).toBe('2.0.0');
    expect(listed(layoutB.pending)).toEqual([]);

    expect((await call(app, 'DELETE', '/api/plugins/owners')).statusCode).toBe(200);
    expect(await syncB.run()).toMatchObject({ removed: ['owners'], failed: [] });
    expect(listed(layoutB.pluginsDirectory)).toEqual([]);
    expect(await app.context.db.all('SELECT digest FROM plugin_packages')).toEqual([]);
  });

  test('a package whose bytes do not match its digest is never unpacked: B keeps its last good version', async () => {
    await installOnA();
    await syncB.run();
    expect(
      (
        await postZip(
          app,
          '/api/plugins/owners/update',
          pluginZip('owners', { version: '1.1.0', capabilities: ['read-metadata'] }),
        )
      ).statusCode,
    ).toBe(200);
    const { digest } = (await app.context.db.get<{ digest: string }>(
      "SELECT digest FROM plugin_installations WHERE name = 'owners'",
    ))!;
    // Someone with write access to the database swaps the package's bytes for a hostile one.
    const hostile = pluginZip('owners', { version: '1.1.0', capabilities: ['read-metadata', 'extend-api'] });
    await app.context.db.run('UPDATE plugin_packages SET bytes = ? WHERE digest = ?', [hostile, digest]);

    const report = await syncB.run();
    expect(report.fetched).toEqual([]);
    expect(report.failed).toEqual([
      { name: 'owners', role: 'installed', digest, reason: expect.stringContaining('does not match its bytes') },
    ]);
    expect(syncB.failures().get('owners')).toBe(
      `the package recorded for its running version (${digest.slice(0, 19)}…) does not match its bytes`,
    );
    // B's installations list says why it serves 1.0.0 (the list of a server whose data folder is B's).
    const installations = await listInstallations({
      db: app.context.db,
      registry: app.plugins,
      layout: layoutB,
      inspect: async () => {
        throw new Error('not inspected');
      },
      diff: () => {
        throw new Error('not compared');
      },
      waitingInFolder: async () => undefined,
      logger: pino({ level: 'silent' }),
    });
    expect(installations.find((i) => i.name === 'owners')?.packageProblem).toMatch(/does not match its bytes/);
    expect(versionOnB('owners')).toBe('1.0.0');
    expect(listed(layoutB.staging)).toEqual([]);
    await expect(fetchPackage(app.context.db, digest)).rejects.toBeInstanceOf(PackageIntegrityError);
  });

  test('folders an operator dropped into B’s PLUGINS_DIRECTORY are B’s own: the sync leaves them alone', async () => {
    mkdirSync(path.join(layoutB.pluginsDirectory, 'local-only'));
    writeFileSync(path.join(layoutB.pluginsDirectory, 'local-only', 'manifest.json'), '{}');
    await installOnA();
    await syncB.run();
    expect(listed(layoutB.pluginsDirectory)).toEqual(['local-only', 'owners']);
  });

  test('a starting replica recovers only its own interrupted operations, never another replica’s folders', async () => {
    await installOnA();
    await syncB.run();
    const update = await postZip(
      app,
      '/api/plugins/owners/update',
      pluginZip('owners', { version: '1.1.0', capabilities: ['read-metadata'] }),
    );
    expect(update.json().status).toBe('activated');
    // Another replica died mid-operation on the plugin: its journal row names it and moves its folders.
    const foreignFolder = path.join(app.dir, 'plugins', 'owners');
    await app.context.db.run(
      'INSERT INTO plugin_operations (id, plugin, kind, moves, effects, cleanup, started_at, server) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
      [
        'op-of-another',
        'owners',
        'remove',
        JSON.stringify([{ from: foreignFolder, to: path.join(app.dir, 'trash-of-another') }]),
        JSON.stringify([{ type: 'forget', name: 'owners' }]),
        '[]',
        new Date().toISOString(),
        'another-replica',
      ],
    );
    const journalB = createJournal(app.context.db, layoutB, crashPoint(undefined), pino({ level: 'silent' }));
    expect(await journalB.recover()).toEqual([]);
    expect(existsSync(foreignFolder)).toBe(true);
    expect(await app.context.db.get("SELECT id FROM plugin_operations WHERE id = 'op-of-another'")).toBeDefined();
    expect(await app.context.db.get("SELECT name FROM plugin_installations WHERE name = 'owners'")).toBeDefined();

    // While that operation holds the plugin, B changes none of its folders, and says why.
    const revisions = await localRevisions(layoutB).read('installed');
    const report = await syncB.run();
    expect(report.failed[0]?.reason).toMatch(/Another server is changing "owners"/);
    expect(listed(layoutB.staging)).toEqual([]);
    expect(await localRevisions(layoutB).read('installed')).toEqual(revisions);
    expect(versionOnB('owners')).toBe('1.0.0');
  });
});
