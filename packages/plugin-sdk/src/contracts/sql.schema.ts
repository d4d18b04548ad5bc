import { z } from 'zod';

/** Rows a query answers when the request names no `limit`. */
export const DEFAULT_ROW_LIMIT = 1_000;
/** The most rows one query may answer. */
export const MAX_ROW_LIMIT = 10_000;
/** The longest SQL text the API accepts, in characters. */
export const MAX_SQL_LENGTH = 100_000;

/** `POST /api/workspaces/:workspace/sql/query`: the SQL to run and how many rows to send back at most. */
export const SqlQueryBody = z.object({
  sql: z
    .string()
    .max(MAX_SQL_LENGTH, `must be at most ${MAX_SQL_LENGTH} characters`)
    .refine((s) => s.trim().length > 0, { message: 'must not be empty', params: { rule: 'min' } }),
  limit: z.number().int().min(1).max(MAX_ROW_LIMIT).optional(),
});
export type SqlQueryBody = z.infer<typeof SqlQueryBody>;

/** A result or table column: its name and its DuckDB type as DuckDB spells it (`BIGINT`, `DECIMAL(18,2)`, ...). */
export const SqlColumn = z.object({ name: z.string(), type: z.string() });
export type SqlColumn = z.infer<typeof SqlColumn>;

/**
 * One cell of a result row, as JSON. Integers outside the safe range and wide DECIMALs are strings, dates and
 * timestamps ISO strings, BLOBs a short hex preview, lists and structs JSON arrays and objects.
 */
export type SqlCell = unknown;

/** What a query answers. `truncated` says there were more than `limit` rows and only the first `limit` came back. */
export const SqlQueryResult = z.object({
  columns: z.array(SqlColumn),
  rows: z.array(z.array(z.unknown())),
  rowCount: z.number().int(),
  limit: z.number().int(),
  truncated: z.boolean(),
  elapsedMs: z.number(),
});
export type SqlQueryResult = z.infer<typeof SqlQueryResult>;

/** A table of the workspace's SQL database loaded from a seed CSV. */
export const SqlTable = z.object({
  name: z.string(),
  /** The seed file it was loaded from, relative to the workspace's seeds folder. */
  file: z.string(),
  rowCount: z.number().int(),
  columns: z.array(SqlColumn),
});
export type SqlTable = z.infer<typeof SqlTable>;

/** A seed CSV that could not be loaded, and DuckDB's reason. */
export const SqlLoadProblem = z.object({ file: z.string(), message: z.string() });
export type SqlLoadProblem = z.infer<typeof SqlLoadProblem>;

/** A table or view of the project's own database (its models, and seeds and snapshots dbt built there). */
export const SqlModelTable = z.object({
  name: z.string(),
  /** Its schema in the models database. */
  schema: z.string(),
  /** What to write in SQL to reach it: its bare name, or `catalog.schema.name` when a seed of the same name comes first. */
  reference: z.string(),
  type: z.enum(['table', 'view']),
  /** dbt's resource type when the manifest names this relation (`model`, `seed`, `snapshot`), else null. */
  resourceType: z.string().nullable(),
  /** Rows of a table as DuckDB estimates them; null for a view (counting would run it). */
  rowCount: z.number().int().nullable(),
  columns: z.array(SqlColumn),
});
export type SqlModelTable = z.infer<typeof SqlModelTable>;

/**
 * Where the workspace's models are for SQL: a DuckDB database the app read (a copy of the dbt target's file, or
 * the one the demo's run simulator wrote), or why there is none, in a sentence a user can act on.
 */
export const SqlModels = z.discriminatedUnion('available', [
  z.object({
    available: z.literal(true),
    /** The database file, relative to the project folder: `jaffle_shop.duckdb`, `target/simulated.duckdb`. */
    file: z.string(),
    /** `dbt-target`: the DuckDB file the project's dbt target writes; `simulated`: written by the demo's simulator. */
    origin: z.enum(['dbt-target', 'simulated']),
    tables: z.array(SqlModelTable),
  }),
  z.object({ available: z.literal(false), reason: z.string() }),
]);
export type SqlModels = z.infer<typeof SqlModels>;

/** `GET /api/workspaces/:workspace/sql/tables`. */
export const SqlTables = z.object({
  /** The seed CSVs, one table each. */
  tables: z.array(SqlTable),
  problems: z.array(SqlLoadProblem),
  /** The project's models, or why they cannot be queried. */
  models: SqlModels,
  /** When the seeds and models were last (re)loaded, ISO-8601. */
  loadedAt: z.string(),
});
export type SqlTables = z.infer<typeof SqlTables>;

/** A query a user saved in a workspace. Only its owner sees it. */
export const SavedQuery = z.object({
  id: z.string(),
  name: z.string(),
  sql: z.string(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type SavedQuery = z.infer<typeof SavedQuery>;

export const SavedQueryList = z.object({ queries: z.array(SavedQuery) });
export type SavedQueryList = z.infer<typeof SavedQueryList>;

/** `POST .../sql/saved` and `PUT .../sql/saved/:id`: a name unique among the user's queries in the workspace. */
export const SavedQueryBody = z.object({
  name: z.string().trim().min(1, 'must not be empty').max(120, 'must be at most 120 characters'),
  sql: z
    .string()
    .max(MAX_SQL_LENGTH, `must be at most ${MAX_SQL_LENGTH} characters`)
    .refine((s) => s.trim().length > 0, { message: 'must not be empty', params: { rule: 'min' } }),
});
export type SavedQueryBody = z.infer<typeof SavedQueryBody>;

const NUMERIC_TYPE =
  /^(TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT|UTINYINT|USMALLINT|UINTEGER|UBIGINT|UHUGEINT|FLOAT|DOUBLE|BIGNUM|DECIMAL\(\d+,\d+\))$/;

/** True for DuckDB number types (not lists of them), whose values read best right-aligned: `DECIMAL(10,2)`. */
export function isNumericSqlType(type: string): boolean {
  return NUMERIC_TYPE.test(type);
}
