import { chmodSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Database } from './database.ts';
import { migrate } from './migrations.ts';
import { openSqliteDatabase } from './sqlite.ts';

/**
 * The data folder is created, or tightened at every start, to 0711: other users cannot list it, and open only
 * what its files' own modes allow them (the database files are 0600). Not 0700: plugin backends run under their
 * own user ids and must pass through it to their own data folders under plugins/.
 */
function restrictDataDirectory(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: 0o711 });
  chmodSync(dir, 0o711);
}

/** Opens the configured database and brings its schema up to date. PostgreSQL support is not built yet. */
export async function openDatabase(options: {
  dataDirectory: string;
  databaseUrl: string | undefined;
}): Promise<Database> {
  if (options.databaseUrl) {
    throw new Error(
      'DATABASE_URL is set, but the PostgreSQL backend is not available yet; unset it to use the embedded SQLite file',
    );
  }
  restrictDataDirectory(options.dataDirectory);
  const db = openSqliteDatabase(path.join(options.dataDirectory, 'workbench.sqlite'));
  await migrate(db);
  return db;
}
