import path from 'node:path';
import type { Database } from './database.ts';
import { migrate } from './migrations.ts';
import { openSqliteDatabase } from './sqlite.ts';

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
  const db = openSqliteDatabase(path.join(options.dataDirectory, 'workbench.sqlite'));
  await migrate(db);
  return db;
}
