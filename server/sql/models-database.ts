import { constants } from 'node:fs';
import { copyFile, stat } from 'node:fs/promises';
import path from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import type { SqlModels, SqlModelTable } from '@dbt-workbench/plugin-sdk/contracts/sql.schema';
import type { ModelsLocation } from './models-source.ts';
import { quoteIdentifier } from './seeds.ts';

/** Names DuckDB or the seeds database already use: a dbt database called so is attached as `models`. */
const TAKEN_CATALOGS = new Set(['seeds', 'memory', 'system', 'temp', 'main']);

/** `name` as SQL may write it: bare when a plain lowercase identifier, double-quoted otherwise. */
export function sqlIdentifier(name: string): string {
  return /^[a-z_][a-z0-9_]*$/.test(name) ? name : quoteIdentifier(name);
}

/**
 * Copies the models database into `directory` (the app never holds a lock on the project's file, so dbt can
 * always write it) and gives it to `attach`, which attaches it read-only. The write-ahead log goes along, or
 * the copy would miss what dbt has not checkpointed yet.
 */
export async function copyModelsDatabase(file: string, directory: string): Promise<string> {
  const copy = path.join(directory, 'models.duckdb');
  // A clone where the file system can (no bytes copied), a copy elsewhere.
  await copyFile(file, copy, constants.COPYFILE_FICLONE);
  if (await stat(`${file}.wal`).catch(() => undefined))
    await copyFile(`${file}.wal`, `${copy}.wal`, constants.COPYFILE_FICLONE).catch(() => undefined);
  return copy;
}

/** What a generation knows about the models database it attached. */
export interface AttachedModels {
  models: SqlModels;
  /** The `search_path` every query connection sets: seeds first, then the models' schemas. */
  searchPath: string;
}

/**
 * Attaches the copy read-only under the dbt database's name (so compiled SQL that names `db.schema.table` runs
 * as is), lists its tables and views, and works out the search path that lets SQL name them bare.
 */
export async function attachModels(
  connection: DuckDBConnection,
  copy: string,
  location: Extract<ModelsLocation, { available: true }>,
  seeds: readonly string[],
  projectDir: string,
): Promise<AttachedModels> {
  const catalog = TAKEN_CATALOGS.has(location.catalog.toLowerCase()) ? 'models' : location.catalog;
  const quotedCatalog = quoteIdentifier(catalog);
  await connection.run(`ATTACH '${copy.replaceAll("'", "''")}' AS ${quotedCatalog} (READ_ONLY)`);
  const literal = `'${catalog.replaceAll("'", "''")}'`;
  const relations = await connection.runAndReadAll(
    `SELECT schema_name, table_name, 'table' AS type, estimated_size FROM duckdb_tables() WHERE database_name = ${literal}
     UNION ALL
     SELECT schema_name, view_name, 'view', NULL FROM duckdb_views() WHERE database_name = ${literal} AND NOT internal
     ORDER BY 1, 2`,
  );
  const columns = await connection.runAndReadAll(
    `SELECT schema_name, table_name, column_name, data_type FROM duckdb_columns()
     WHERE database_name = ${literal} ORDER BY schema_name, table_name, column_index`,
  );
  const columnsOf = new Map<string, { name: string; type: string }[]>();
  for (const [schema, table, name, type] of columns.getRows()) {
    const key = `${String(schema)}.${String(table)}`;
    columnsOf.set(key, [...(columnsOf.get(key) ?? []), { name: String(name), type: String(type) }]);
  }
  const known = new Map(location.relations.map((r) => [`${r.schema ?? ''}.${r.name}`.toLowerCase(), r]));
  const rows = relations.getRows().map(([schema, name, type, size]) => ({
    schema: String(schema),
    name: String(name),
    type: type === 'view' ? ('view' as const) : ('table' as const),
    size: size === null ? null : Number(size),
  }));

  // Schemas holding models first (dbt's target schema), the others after, each alphabetically.
  const modelCount = (schema: string) =>
    rows.filter((r) => r.schema === schema && known.get(`${schema}.${r.name}`.toLowerCase())?.resourceType === 'model')
      .length;
  const schemas = [...new Set(rows.map((r) => r.schema))].sort(
    (a, b) => Number(modelCount(b) > 0) - Number(modelCount(a) > 0) || a.localeCompare(b),
  );
  const searchPath = ['seeds.main', ...schemas.map((s) => `${quotedCatalog}.${quoteIdentifier(s)}`)].join(',');

  // A bare name reaches the first relation of that name along the search path; the others need their full name.
  const firstSeen = new Set(seeds.map((s) => s.toLowerCase()));
  const tables: SqlModelTable[] = [];
  for (const schema of schemas) {
    for (const row of rows.filter((r) => r.schema === schema)) {
      const bare = !firstSeen.has(row.name.toLowerCase());
      firstSeen.add(row.name.toLowerCase());
      tables.push({
        name: row.name,
        schema: row.schema,
        reference: bare
          ? sqlIdentifier(row.name)
          : [catalog, row.schema, row.name].map((part) => sqlIdentifier(part)).join('.'),
        type: row.type,
        resourceType: known.get(`${row.schema}.${row.name}`.toLowerCase())?.resourceType ?? null,
        rowCount: row.type === 'table' ? row.size : null,
        columns: columnsOf.get(`${row.schema}.${row.name}`) ?? [],
      });
    }
  }
  // The project's own models first, then those of its packages, then seeds and snapshots, then the rest.
  const rank = (t: SqlModelTable) => {
    const relation = known.get(`${t.schema}.${t.name}`.toLowerCase());
    if (relation?.resourceType !== 'model') return relation ? 2 : 3;
    return relation.packageName === location.projectName ? 0 : 1;
  };
  tables.sort((a, b) => rank(a) - rank(b) || a.name.localeCompare(b.name) || a.schema.localeCompare(b.schema));
  const file = path.relative(projectDir, location.file).split(path.sep).join('/');
  return { models: { available: true, file, origin: location.origin, tables }, searchPath };
}
