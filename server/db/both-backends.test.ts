// The data layer on both backends: the same statements give the same values, transactions hold, migrations run,
// and a database migrated by newer code is refused. PostgreSQL is a real throwaway cluster.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createTestDatabase } from '../testing/postgres.ts';
import { startPostgresCluster, type PostgresCluster } from '../testing/postgres-cluster.ts';
import type { Database } from './database.ts';
import { inDialect, migrations } from './migrations.ts';
import { openDatabase } from './open.ts';
import { toPostgresPlaceholders } from './postgres.ts';

let cluster: PostgresCluster;
let tmp: string;
beforeAll(async () => {
  cluster = await startPostgresCluster();
  tmp = mkdtempSync(path.join(os.tmpdir(), 'wb-db-both-'));
}, 60_000);
afterAll(() => {
  cluster?.destroy();
  rmSync(tmp, { recursive: true, force: true });
});

const backends = {
  sqlite: async () => openDatabase({ dataDirectory: mkdtempSync(path.join(tmp, 'sqlite-')), databaseUrl: undefined }),
  postgres: async () =>
    openDatabase({
      dataDirectory: mkdtempSync(path.join(tmp, 'pg-')),
      databaseUrl: await createTestDatabase(cluster.url()),
    }),
};

describe.each(Object.entries(backends) as [Database['dialect'], () => Promise<Database>][])('%s', (dialect, open) => {
  let db: Database;
  beforeAll(async () => {
    db = await open();
    await db.run(inDialect('CREATE TABLE things (id TEXT PRIMARY KEY, n INTEGER, ratio REAL, label TEXT)', dialect));
  });
  afterAll(() => db?.close());

  test('reports its dialect and has every migration applied', async () => {
    expect(db.dialect).toBe(dialect);
    const applied = await db.all<{ version: number }>('SELECT version FROM schema_migrations ORDER BY version');
    expect(applied.map((r) => r.version)).toEqual(migrations.map((m) => m.version).sort((a, b) => a - b));
  });

  test('values come back as numbers, 1/0 and strings, as SQLite gives them', async () => {
    await db.run('INSERT INTO things (id, n, ratio, label) VALUES (?, ?, ?, ?), (?, ?, ?, ?)', [
      'a',
      5_000_000_000,
      0.25,
      "it's ?",
      'b',
      BigInt(7),
      null,
      null,
    ]);
    const row = await db.get(
      `SELECT COUNT(*) AS n, SUM(n) AS total, MAX(ratio) AS ratio, COUNT(*) > 1 AS many, MIN(label) AS label
       FROM things WHERE label = ? OR label IS NULL`,
      ["it's ?"],
    );
    expect(row).toEqual({ n: 2, total: 5_000_000_007, ratio: 0.25, many: 1, label: "it's ?" });
    expect(await db.get('SELECT id FROM things WHERE id = ?', ['none'])).toBeUndefined();
    expect(await db.run('UPDATE things SET n = n + 1 WHERE id IN (?, ?)', ['a', 'b'])).toEqual({ changes: 2 });
  });

  test('a transaction commits all its statements, or on an error none of them', async () => {
    await db.transaction(async (tx) => {
      await tx.run('INSERT INTO things (id) VALUES (?)', ['t1']);
      // Inside, the transaction sees its own writes; nested calls join it.
      await tx.transaction((inner) => inner.run('INSERT INTO things (id) VALUES (?)', ['t2']));
      expect(await tx.get('SELECT COUNT(*) AS n FROM things WHERE id LIKE ?', ['t%'])).toEqual({ n: 2 });
    });
    await expect(
      db.transaction(async (tx) => {
        await tx.run('INSERT INTO things (id) VALUES (?)', ['t3']);
        await tx.run('INSERT INTO things (id) VALUES (?)', ['t1']); // duplicate key
      }),
    ).rejects.toThrow();
    const ids = await db.all<{ id: string }>("SELECT id FROM things WHERE id LIKE 't%' ORDER BY id");
    expect(ids.map((r) => r.id)).toEqual(['t1', 't2']);
  });

  test('transactions run one at a time: a read, a pause and a write in each lose no update', async () => {
    await db.run('INSERT INTO things (id, n) VALUES (?, ?)', ['counter', 0]);
    const increment = () =>
      db.transaction(async (tx) => {
        const row = await tx.get<{ n: number }>('SELECT n FROM things WHERE id = ?', ['counter']);
        await new Promise((resolve) => setTimeout(resolve, 50));
        await tx.run('UPDATE things SET n = ? WHERE id = ?', [row!.n + 1, 'counter']);
      });
    await Promise.all([increment(), increment(), increment()]);
    expect(await db.get('SELECT n FROM things WHERE id = ?', ['counter'])).toEqual({ n: 3 });
  });

  test('a statement that is wrong fails with the database message and changes nothing', async () => {
    await expect(db.run('INSERT INTO no_such_table (id) VALUES (?)', ['x'])).rejects.toThrow(/no_such_table/);
    await expect(db.run('INSERT INTO users (id) VALUES (?)', ['u'])).rejects.toThrow(/username/);
  });

  test('a database migrated by newer code is refused with both versions named, and left as it is', async () => {
    const dir = mkdtempSync(path.join(tmp, 'newer-'));
    const databaseUrl = dialect === 'postgres' ? await createTestDatabase(cluster.url()) : undefined;
    const first = await openDatabase({ dataDirectory: dir, databaseUrl });
    await first.run('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)', [
      9999,
      'from the future',
      new Date().toISOString(),
    ]);
    await first.close();
    const newest = Math.max(...migrations.map((m) => m.version));
    await expect(openDatabase({ dataDirectory: dir, databaseUrl })).rejects.toThrow(
      `The database's schema is newer than this server: it has migration 9999, which this server (schema ${newest}) does not know`,
    );
    // The refusal released the data folder and wrote nothing: the row is still there for the newer server.
    const again = await openDatabase({ dataDirectory: dir, databaseUrl }).catch((e: Error) => e);
    expect(again).toBeInstanceOf(Error);
  });
});

describe('PostgreSQL URL and placeholders', () => {
  test('a DATABASE_URL that is not a PostgreSQL URL is named, its password masked, and nothing is opened', async () => {
    const dataDirectory = mkdtempSync(path.join(tmp, 'bad-url-'));
    await expect(openDatabase({ dataDirectory, databaseUrl: 'mysql://root:hunter2@db/workbench' })).rejects.toThrow(
      'DATABASE_URL must be a PostgreSQL URL, postgres://user:password@host:port/database; it is mysql://root:***@db/workbench',
    );
    // The refusal released the data folder: a correct start on it works.
    const db = await openDatabase({ dataDirectory, databaseUrl: undefined });
    await db.close();
  });

  test('a prepared read of every column still answers after its table gains a column, with the new column', async () => {
    const db = await backends.postgres();
    await db.run('CREATE TABLE widened (id TEXT PRIMARY KEY)');
    await db.run('INSERT INTO widened (id) VALUES (?)', ['w']);
    expect(await db.all('SELECT * FROM widened WHERE id = ?', ['w'])).toEqual([{ id: 'w' }]);
    // As a newer server migrating the shared database would: the prepared statement's result type changes.
    await db.run("ALTER TABLE widened ADD COLUMN note TEXT DEFAULT 'new'");
    expect(await db.all('SELECT * FROM widened WHERE id = ?', ['w'])).toEqual([{ id: 'w', note: 'new' }]);
    expect(await db.get('SELECT * FROM widened WHERE id = ?', ['w'])).toEqual({ id: 'w', note: 'new' });
    await db.close();
  });

  test('each ? outside literals, quoted names and comments becomes $n in order', () => {
    expect(toPostgresPlaceholders(`SELECT '?', "a?b", x -- why?\n FROM t /* ? */ WHERE a = ? AND b IN (?, ?)`)).toBe(
      `SELECT '?', "a?b", x -- why?\n FROM t /* ? */ WHERE a = $1 AND b IN ($2, $3)`,
    );
  });
});

describe('migrations on PostgreSQL', () => {
  test('make the same tables and columns as on SQLite', async () => {
    const sqlite = await backends.sqlite();
    const postgres = await backends.postgres();
    const sqliteColumns = await sqlite.all<{ t: string; c: string }>(
      `SELECT m.name AS t, p.name AS c FROM sqlite_master m JOIN pragma_table_info(m.name) p
       WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%' ORDER BY 1, 2`,
    );
    const postgresColumns = await postgres.all<{ t: string; c: string }>(
      `SELECT table_name AS t, column_name AS c FROM information_schema.columns
       WHERE table_schema = 'public' ORDER BY 1, 2`,
    );
    expect(postgresColumns).toEqual(sqliteColumns);
    // SQLite's INTEGER is 64-bit and its REAL 8-byte: PostgreSQL's columns must hold the same values.
    const narrow = await postgres.all(
      `SELECT table_name, column_name, data_type FROM information_schema.columns
       WHERE table_schema = 'public' AND data_type IN ('integer', 'real', 'smallint')`,
    );
    expect(narrow.filter((c) => (c as { table_name: string }).table_name !== 'schema_migrations')).toEqual([]);
    await sqlite.close();
    await postgres.close();
  });
});
