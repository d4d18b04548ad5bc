import { chmodSync, existsSync, mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { openDatabase } from './open.ts';
import { openSqliteDatabase } from './sqlite.ts';

const modeOf = (file: string) => statSync(file).mode & 0o777;

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'wb-db-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('database files are readable by the app only', () => {
  test('a new data folder is 0711 and the database, its -wal and its -shm are created 0600', async () => {
    const data = path.join(dir, 'data');
    const db = await openDatabase({ dataDirectory: data, databaseUrl: undefined });
    // The migrations have written, so the -wal and -shm files exist.
    const file = path.join(data, 'workbench.sqlite');
    expect(existsSync(`${file}-wal`)).toBe(true);
    expect(existsSync(`${file}-shm`)).toBe(true);
    expect(modeOf(data)).toBe(0o711);
    for (const f of [file, `${file}-wal`, `${file}-shm`]) expect(modeOf(f), f).toBe(0o600);
    await db.close();
  });

  test('files left 0644 and a folder left 0755 by an older version are tightened at start', async () => {
    const data = path.join(dir, 'data');
    const first = await openDatabase({ dataDirectory: data, databaseUrl: undefined });
    const file = path.join(data, 'workbench.sqlite');
    // Another connection keeps the -wal and -shm files in place while the app starts again.
    const keeper = openSqliteDatabase(file);
    await first.close();
    for (const f of [file, `${file}-wal`, `${file}-shm`]) chmodSync(f, 0o644);
    chmodSync(data, 0o755);

    const again = await openDatabase({ dataDirectory: data, databaseUrl: undefined });
    expect(modeOf(data)).toBe(0o711);
    for (const f of [file, `${file}-wal`, `${file}-shm`]) expect(modeOf(f), f).toBe(0o600);
    await again.close();
    await keeper.close();
  });

  test('a data folder that does not exist yet is made with its parents', async () => {
    const nested = path.join(dir, 'a', 'b', 'data');
    mkdirSync(path.join(dir, 'a'));
    const db = await openDatabase({ dataDirectory: nested, databaseUrl: undefined });
    expect(modeOf(nested)).toBe(0o711);
    await db.close();
  });
});
