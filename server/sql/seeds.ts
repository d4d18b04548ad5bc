import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import type { SqlLoadProblem, SqlTable } from '@dbt-workbench/plugin-sdk/contracts/sql.schema';

type DuckDb = typeof import('@duckdb/node-api');

/** A seed CSV of a workspace: the table it becomes and what identifies its content on disk. */
export interface SeedFile {
  table: string;
  /** Relative to the seeds folder, with `/` separators. */
  file: string;
  absolutePath: string;
  size: number;
  modifiedMs: number;
}

/** Every `*.csv` under `seedsDir` (subfolders too, as dbt allows), by path. An absent folder has none. */
export async function listSeeds(seedsDir: string): Promise<SeedFile[]> {
  let names: string[];
  try {
    names = await readdir(seedsDir, { recursive: true });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  const seeds: SeedFile[] = [];
  for (const name of names.filter((n) => n.toLowerCase().endsWith('.csv')).sort()) {
    const absolutePath = path.join(seedsDir, name);
    const info = await stat(absolutePath).catch(() => undefined);
    if (!info?.isFile()) continue;
    seeds.push({
      table: path.basename(name).slice(0, -'.csv'.length),
      file: name.split(path.sep).join('/'),
      absolutePath,
      size: info.size,
      modifiedMs: info.mtimeMs,
    });
  }
  return seeds;
}

/** A fingerprint of the seed files: it changes when a CSV is added, removed or rewritten. */
export function seedsSignature(seeds: readonly SeedFile[]): string {
  return seeds.map((s) => `${s.file}:${s.size}:${s.modifiedMs}`).join('|');
}

/** `name` as a DuckDB identifier: `"my ""odd"" name"`. */
export function quoteIdentifier(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

function quoteString(text: string): string {
  return `'${text.replaceAll("'", "''")}'`;
}

export interface LoadedSeeds {
  tables: SqlTable[];
  problems: SqlLoadProblem[];
}

/**
 * Writes the seeds into a new DuckDB database file, one table per CSV (types guessed by `read_csv_auto`).
 * A CSV that fails to load is reported, not fatal: the other tables still load.
 */
export async function writeSeedDatabase(
  duckdb: DuckDb,
  file: string,
  seeds: readonly SeedFile[],
): Promise<LoadedSeeds> {
  const instance = await duckdb.DuckDBInstance.create(file);
  const connection = await instance.connect();
  const problems: SqlLoadProblem[] = [];
  const loaded: SeedFile[] = [];
  try {
    for (const seed of seeds) {
      try {
        await connection.run(
          `CREATE TABLE ${quoteIdentifier(seed.table)} AS SELECT * FROM read_csv_auto(${quoteString(seed.absolutePath)})`,
        );
        loaded.push(seed);
      } catch (error) {
        problems.push({ file: seed.file, message: (error as Error).message });
      }
    }
    const tables: SqlTable[] = [];
    for (const seed of loaded) {
      const count = await connection.runAndReadAll(`SELECT count(*) FROM ${quoteIdentifier(seed.table)}`);
      const columns = await connection.runAndReadAll(
        `SELECT column_name, data_type FROM duckdb_columns()
         WHERE database_name = current_database() AND schema_name = 'main' AND table_name = ${quoteString(seed.table)}
         ORDER BY column_index`,
      );
      tables.push({
        name: seed.table,
        file: seed.file,
        rowCount: Number(count.getRows()[0]?.[0] ?? 0),
        columns: columns.getRows().map(([name, type]) => ({ name: String(name), type: String(type) })),
      });
    }
    await connection.run('CHECKPOINT');
    return { tables, problems };
  } finally {
    connection.disconnectSync();
    instance.closeSync();
  }
}
