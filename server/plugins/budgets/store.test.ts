import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import type { Database } from '../../db/database.ts';
import { openDatabase } from '../../db/open.ts';
import { createBudgetStore } from './store.ts';
import { testDatabaseUrl } from '../../testing/postgres.ts';

let dir: string;
let db: Database;
let userId: string;

beforeEach(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'wb-budgets-'));
  db = await openDatabase({ dataDirectory: dir, databaseUrl: await testDatabaseUrl() });
  userId = 'u1';
  await db.run(
    "INSERT INTO users (id, username, display_name, password_hash, is_instance_admin, created_at) VALUES (?, 'ada', 'Ada', 'x', 1, '2026-01-01')",
    [userId],
  );
});
afterEach(async () => {
  await db.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('budget overrides', () => {
  test('none until an admin sets some; all null removes them', async () => {
    const store = createBudgetStore(db);
    expect(await store.overrides('p')).toEqual({ errorRate: null, p95Ms: null, restarts: null });
    await store.setOverrides('p', { errorRate: 0.2, p95Ms: null, restarts: 3 }, userId);
    expect(await store.overrides('p')).toEqual({ errorRate: 0.2, p95Ms: null, restarts: 3 });
    expect(await store.overrides('other')).toEqual({ errorRate: null, p95Ms: null, restarts: null });
    await store.setOverrides('p', { errorRate: null, p95Ms: null, restarts: null }, userId);
    expect(await db.all('SELECT * FROM plugin_budgets')).toEqual([]);
  });
});

describe('automatic disables', () => {
  test('are recorded once per plugin until cleared (the first of several servers deciding at once wins)', async () => {
    const store = createBudgetStore(db);
    expect(await store.recordAutoDisable('p', { reason: 'error rate 100%', at: '2026-01-01T00:00:00.000Z' })).toBe(
      true,
    );
    expect(await store.recordAutoDisable('p', { reason: '9 restarts', at: '2026-01-02T00:00:00.000Z' })).toBe(false);
    await store.recordAutoDisable('q', { reason: 'hook p95', at: '2026-01-01T00:00:00.000Z' });
    expect(await store.autoDisable('p')).toEqual({ reason: 'error rate 100%', at: '2026-01-01T00:00:00.000Z' });
    expect([...(await store.autoDisables()).keys()].sort()).toEqual(['p', 'q']);
    await store.clearAutoDisable('p');
    expect(await store.autoDisable('p')).toBeUndefined();
    expect([...(await store.autoDisables()).keys()]).toEqual(['q']);
    expect(await store.recordAutoDisable('p', { reason: '9 restarts', at: '2026-01-03T00:00:00.000Z' })).toBe(true);
  });

  test('roll back with the transaction they were written in', async () => {
    await expect(
      db.transaction(async (tx) => {
        await createBudgetStore(tx).recordAutoDisable('p', { reason: 'r', at: '2026-01-01T00:00:00.000Z' });
        throw new Error('the audit entry failed');
      }),
    ).rejects.toThrow('the audit entry failed');
    expect(await createBudgetStore(db).autoDisable('p')).toBeUndefined();
  });
});

describe('notices', () => {
  test('open ones are listed newest first until dismissed, once', async () => {
    const store = createBudgetStore(db);
    const older = await store.addNotice({
      at: '2026-01-01T00:00:00.000Z',
      kind: 'plugin-auto-disabled',
      plugin: 'p',
      message: 'Plugin "p" was disabled automatically: error rate 100%',
    });
    const newer = await store.addNotice({
      at: '2026-01-02T00:00:00.000Z',
      kind: 'plugin-over-budget',
      plugin: 'q',
      message: 'Plugin "q" is over its budget',
    });
    expect(await store.openNotices()).toEqual([newer, older]);
    expect(await store.dismissNotice(older.id, userId)).toEqual(older);
    expect(await store.dismissNotice(older.id, userId)).toBeUndefined();
    expect(await store.dismissNotice('no-such-id', userId)).toBeUndefined();
    expect(await store.openNotices()).toEqual([newer]);
  });
});
