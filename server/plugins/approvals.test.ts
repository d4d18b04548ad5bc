import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, expect, test } from 'vitest';
import type { Database } from '../db/database.ts';
import { migrate, migrations } from '../db/migrations.ts';
import { openSqliteDatabase } from '../db/sqlite.ts';
import { createApprovalStore } from './approvals.ts';

let dir: string | undefined;
let db: Database | undefined;
afterEach(async () => {
  await db?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

test('approvals recorded before migration 8 (capability names) read as the keys of those capabilities', async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'wb-approvals-'));
  db = openSqliteDatabase(path.join(dir, 'workbench.sqlite'));
  await migrate(
    db,
    migrations.filter((m) => m.version < 8),
  );
  await db.run(
    'INSERT INTO plugin_approvals (name, version, capabilities, approved_by, approved_at) VALUES (?, ?, ?, ?, ?)',
    ['owners', '1.0.0', JSON.stringify(['read-metadata']), null, '2026-01-01T00:00:00.000Z'],
  );
  expect(await migrate(db)).toContain(8);
  const store = createApprovalStore(db);
  expect((await store.load())('owners', '1.0.0')).toEqual(['read-metadata']);

  await db.run(
    'INSERT INTO users (id, username, display_name, password_hash, is_instance_admin, created_at) VALUES (?, ?, ?, ?, ?, ?)',
    ['u1', 'admin', 'Admin', 'x', 1, '2026-01-01T00:00:00.000Z'],
  );
  await store.approve('owners', '1.1.0', ['read-metadata', 'fs.read:/srv/shared'], 'u1');
  const lookup = await store.load();
  expect(lookup('owners', '1.1.0')).toEqual(['fs.read:/srv/shared', 'read-metadata']);
  expect(lookup('owners', '2.0.0')).toEqual([]);
});
