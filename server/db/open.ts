import { chmodSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { lockDataFolder } from './data-folder-lock.ts';
import type { Database } from './database.ts';
import { migrate } from './migrations.ts';
import { openPostgresDatabase } from './postgres.ts';
import { openSqliteDatabase } from './sqlite.ts';

/** The PostgreSQL advisory lock key under which one server at a time migrates a shared database. */
const MIGRATIONS_LOCK = 0x6462_7477; // "dbtw"

/**
 * The data folder is created, or tightened at every start, to 0711: other users cannot list it, and open only
 * what its files' own modes allow them (the database files are 0600). Not 0700: plugin backends run under their
 * own user ids and must pass through it to their own data folders under plugins/.
 */
function restrictDataDirectory(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: 0o711 });
  chmodSync(dir, 0o711);
}

/**
 * Takes the data folder for this process (a second server on it refuses to start), opens the configured database
 * (PostgreSQL when `databaseUrl` is set, else the embedded SQLite file in the data folder) and brings its schema
 * up to date. Closing the database releases the data folder.
 */
export async function openDatabase(options: {
  dataDirectory: string;
  databaseUrl: string | undefined;
}): Promise<Database> {
  restrictDataDirectory(options.dataDirectory);
  const folder = lockDataFolder(options.dataDirectory);
  let db: Database | undefined;
  try {
    if (options.databaseUrl) {
      const postgres = await openPostgresDatabase(options.databaseUrl);
      db = postgres;
      // Servers starting at once on a fresh database take turns: the first migrates, the others find it done.
      await postgres.exclusively(MIGRATIONS_LOCK, (locked) => migrate(locked));
    } else {
      db = openSqliteDatabase(path.join(options.dataDirectory, 'workbench.sqlite'));
      await migrate(db);
    }
  } catch (error) {
    await db?.close();
    folder.release();
    throw error;
  }
  const close = db.close;
  return {
    ...db,
    close: async () => {
      await close();
      folder.release();
    },
  };
}
