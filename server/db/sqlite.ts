import { chmodSync, closeSync, existsSync, mkdirSync, openSync } from 'node:fs';
import path from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import type { Database, RunResult, SqlValue } from './database.ts';

/** Serializes work on the single connection so an open transaction never interleaves with other calls. */
function createLock() {
  let tail: Promise<unknown> = Promise.resolve();
  return function withLock<T>(work: () => Promise<T>): Promise<T> {
    const result = tail.then(work, work);
    tail = result.catch(() => undefined);
    return result;
  };
}

/**
 * Makes the database file, and its -wal and -shm files where they exist, readable and writable by this process's
 * user only (0600): they hold every user's password hash and session. The file is created 0600 if missing; SQLite
 * creates the -wal and -shm files with the database file's mode.
 */
function restrictDatabaseFiles(file: string): void {
  closeSync(openSync(file, 'a', 0o600));
  for (const f of [file, `${file}-wal`, `${file}-shm`]) if (existsSync(f)) chmodSync(f, 0o600);
}

/**
 * The embedded default: a SQLite file (node:sqlite, built into Node 24, no native addon to compile).
 * WAL with synchronous=FULL, so a committed change survives a crash of the process or the machine.
 */
export function openSqliteDatabase(file: string): Database {
  if (file !== ':memory:') {
    mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
    restrictDatabaseFiles(file);
  }
  const db = new DatabaseSync(file);
  db.exec(
    'PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 5000;',
  );
  const withLock = createLock();

  const direct = {
    all: <T>(sql: string, params: readonly SqlValue[] = []) => db.prepare(sql).all(...params) as T[],
    get: <T>(sql: string, params: readonly SqlValue[] = []) => db.prepare(sql).get(...params) as T | undefined,
    run: (sql: string, params: readonly SqlValue[] = []): RunResult => ({
      changes: Number(db.prepare(sql).run(...params).changes),
    }),
  };

  /** The handle given to a transaction's work: it already holds the lock, so it runs statements directly. */
  const inTransaction: Database = {
    dialect: 'sqlite',
    all: async (sql, params) => direct.all(sql, params),
    get: async (sql, params) => direct.get(sql, params),
    run: async (sql, params) => direct.run(sql, params),
    transaction: (work) => work(inTransaction),
    close: () => Promise.reject(new Error('cannot close the database inside a transaction')),
  };

  return {
    dialect: 'sqlite',
    all: (sql, params) => withLock(async () => direct.all(sql, params)),
    get: (sql, params) => withLock(async () => direct.get(sql, params)),
    run: (sql, params) => withLock(async () => direct.run(sql, params)),
    transaction: (work) =>
      withLock(async () => {
        db.exec('BEGIN IMMEDIATE');
        try {
          const result = await work(inTransaction);
          db.exec('COMMIT');
          return result;
        } catch (error) {
          db.exec('ROLLBACK');
          throw error;
        }
      }),
    close: () => withLock(async () => db.close()),
  };
}
