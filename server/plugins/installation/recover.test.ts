import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import type { Database } from '../../db/database.ts';
import { migrate } from '../../db/migrations.ts';
import { openSqliteDatabase } from '../../db/sqlite.ts';
import type { Effect } from './effects.ts';
import type { Move, OperationKind } from './journal.ts';
import { packageLayout, type PackageLayout } from './layout.ts';
import { recoverPluginOperations } from './recover.ts';
import { writePluginFolder } from './testing.ts';

let dir: string;
let db: Database;
let layout: PackageLayout;
const logger = pino({ level: 'silent' });

beforeEach(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'wb-recover-'));
  mkdirSync(path.join(dir, 'plugins'));
  db = openSqliteDatabase(path.join(dir, 'data', 'workbench.sqlite'));
  await migrate(db);
  layout = packageLayout(path.join(dir, 'data'), path.join(dir, 'plugins'));
});
afterEach(async () => {
  await db.close();
  rmSync(dir, { recursive: true, force: true });
});

const at = '2026-01-01T00:00:00.000Z';
const audit = (action: string): Effect => ({
  type: 'audit',
  actorId: null,
  actorName: 'admin',
  action,
  target: 'owners',
  details: {},
  at,
});
const installation = (version: string, previousVersion: string | null = null): Effect => ({
  type: 'installation',
  name: 'owners',
  version,
  source: 'upload',
  checksum: null,
  previousVersion,
  installedAt: at,
  at,
});

async function journal(id: string, kind: OperationKind, moves: Move[], effects: Effect[], cleanup: string[]) {
  await db.run(
    'INSERT INTO plugin_operations (id, plugin, kind, moves, effects, cleanup, started_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
    [id, 'owners', kind, JSON.stringify(moves), JSON.stringify(effects), JSON.stringify(cleanup), at],
  );
}

const recover = () =>
  recoverPluginOperations(
    { dataDirectory: path.join(dir, 'data'), pluginsDirectory: layout.pluginsDirectory },
    db,
    logger,
  );
const versionIn = (folder: string) =>
  (JSON.parse(readFileSync(path.join(folder, 'manifest.json'), 'utf8')) as { version: string }).version;
const list = (folder: string) => (existsSync(folder) ? readdirSync(folder) : []);

describe('recovery of an interrupted install', () => {
  const staged = () => path.join(layout.stagingFor('op1'), 'package');
  const target = () => layout.installedFor('owners');
  const plan = () =>
    journal(
      'op1',
      'install',
      [{ from: staged(), to: target() }],
      [installation('1.0.0'), audit('plugin.install')],
      [layout.stagingFor('op1')],
    );

  test('before the move: rolled back, the staged files deleted, nothing recorded', async () => {
    writePluginFolder(staged(), 'owners');
    await plan();
    expect(await recover()).toEqual([{ id: 'op1', plugin: 'owners', kind: 'install', outcome: 'rolled-back' }]);
    expect(list(layout.pluginsDirectory)).toEqual([]);
    expect(list(layout.staging)).toEqual([]);
    expect(await db.all('SELECT * FROM plugin_installations')).toEqual([]);
    expect(await db.all('SELECT * FROM audit_log')).toEqual([]);
    expect(await db.all('SELECT * FROM plugin_operations')).toEqual([]);
  });

  test('after the move: completed, recorded and audited once', async () => {
    writePluginFolder(target(), 'owners');
    mkdirSync(layout.stagingFor('op1'), { recursive: true });
    await plan();
    expect((await recover())[0]?.outcome).toBe('completed');
    expect(list(layout.pluginsDirectory)).toEqual(['owners']);
    expect(list(layout.staging)).toEqual([]);
    expect(await db.all('SELECT name, version FROM plugin_installations')).toEqual([
      { name: 'owners', version: '1.0.0' },
    ]);
    expect(await db.all('SELECT action FROM audit_log')).toEqual([{ action: 'plugin.install' }]);
    expect(await recover()).toEqual([]);
    expect(await db.all('SELECT action FROM audit_log')).toEqual([{ action: 'plugin.install' }]);
  });

  test('a copy across volumes that was renamed into place but whose source was not deleted yet: completed', async () => {
    writePluginFolder(staged(), 'owners');
    writePluginFolder(target(), 'owners');
    await plan();
    expect((await recover())[0]?.outcome).toBe('completed');
    expect(list(layout.staging)).toEqual([]);
    expect(versionIn(target())).toBe('1.0.0');
  });
});

describe('recovery of an interrupted activation', () => {
  const trash = () => layout.trashFor('op2');
  const moves = (): Move[] => [
    { from: layout.previousFor('owners'), to: path.join(trash(), 'previous') },
    { from: layout.installedFor('owners'), to: layout.previousFor('owners') },
    { from: layout.pendingFor('owners'), to: layout.installedFor('owners') },
  ];
  const effects: Effect[] = [
    installation('3.0.0', '2.0.0'),
    { type: 'clear-pending', name: 'owners' },
    audit('plugin.update.approve'),
  ];

  async function pendingRow(): Promise<void> {
    await db.run(
      "INSERT INTO plugin_pending_updates (name, version, source, checksum, capabilities, staged_by, staged_at) VALUES ('owners', '3.0.0', 'upload', NULL, '[]', NULL, ?)",
      [at],
    );
  }

  test('after two of three moves: every folder goes back where it was', async () => {
    // The state after moves 1 and 2: version 1 in the trash, version 2 kept as previous, version 3 still pending.
    writePluginFolder(path.join(trash(), 'previous'), 'owners', { version: '1.0.0' });
    writePluginFolder(layout.previousFor('owners'), 'owners', { version: '2.0.0' });
    writePluginFolder(layout.pendingFor('owners'), 'owners', { version: '3.0.0' });
    await pendingRow();
    await journal('op2', 'activate', moves(), effects, [trash()]);

    expect((await recover())[0]?.outcome).toBe('rolled-back');
    expect(versionIn(layout.installedFor('owners'))).toBe('2.0.0');
    expect(versionIn(layout.previousFor('owners'))).toBe('1.0.0');
    expect(versionIn(layout.pendingFor('owners'))).toBe('3.0.0');
    expect(list(layout.trash)).toEqual([]);
    expect(await db.all('SELECT version FROM plugin_pending_updates')).toEqual([{ version: '3.0.0' }]);
    expect(await db.all('SELECT * FROM plugin_installations')).toEqual([]);
  });

  test('after every move: the new version is recorded and the pending row cleared', async () => {
    writePluginFolder(path.join(trash(), 'previous'), 'owners', { version: '1.0.0' });
    writePluginFolder(layout.previousFor('owners'), 'owners', { version: '2.0.0' });
    writePluginFolder(layout.installedFor('owners'), 'owners', { version: '3.0.0' });
    await pendingRow();
    await journal('op2', 'activate', moves(), effects, [trash()]);

    expect((await recover())[0]?.outcome).toBe('completed');
    expect(versionIn(layout.installedFor('owners'))).toBe('3.0.0');
    expect(versionIn(layout.previousFor('owners'))).toBe('2.0.0');
    expect(list(layout.trash)).toEqual([]);
    expect(list(layout.pending)).toEqual([]);
    expect(await db.all('SELECT * FROM plugin_pending_updates')).toEqual([]);
    expect(await db.all('SELECT version, previous_version FROM plugin_installations')).toEqual([
      { version: '3.0.0', previous_version: '2.0.0' },
    ]);
  });
});

test('leftovers of operations that never reached the journal are swept', async () => {
  writePluginFolder(path.join(layout.stagingFor('orphan'), 'package'), 'owners');
  writePluginFolder(path.join(layout.trashFor('orphan'), 'plugin'), 'owners');
  writePluginFolder(path.join(layout.pluginsDirectory, '.wb-copy-owners-1-2'), 'owners');
  writePluginFolder(layout.pendingFor('stray'), 'stray');
  writePluginFolder(layout.installedFor('kept'), 'kept');
  await db.run(
    "INSERT INTO plugin_pending_updates (name, version, source, checksum, capabilities, staged_by, staged_at) VALUES ('gone', '2.0.0', 'upload', NULL, '[]', NULL, ?)",
    [at],
  );
  expect(await recover()).toEqual([]);
  expect(list(layout.staging)).toEqual([]);
  expect(list(layout.trash)).toEqual([]);
  expect(list(layout.pending)).toEqual([]);
  expect(list(layout.pluginsDirectory)).toEqual(['kept']);
  expect(await db.all('SELECT * FROM plugin_pending_updates')).toEqual([]);
});
