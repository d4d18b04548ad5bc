/** What the workspace offers, to explain a table that is not there. */
export interface TableContext {
  /** The seed tables' names. */
  seeds: readonly string[];
  /** The project's models database, or why there is none. */
  models: { available: true; file: string } | { available: false; reason: string };
  /** The models, seeds and snapshots the manifest knows: lowercase name → dbt resource type. */
  projectRelations: ReadonlyMap<string, string>;
}

const MISSING = /^Catalog Error: Table with name "?(.+?)"? does not exist(?:!| because)/;
const SUGGESTION = /Did you mean "([^"]+)"\?/;
// DuckDB suggests the closest name it knows, often one of its own catalog tables: no help to a user.
const INTERNAL = /^(pg_|duckdb_|information_schema|sqlite_)/i;

/** The table DuckDB says does not exist, if that is what `message` says. Pure. */
export function missingTableOf(message: string): string | undefined {
  return MISSING.exec(message)?.[1];
}

/**
 * DuckDB's "Table with name X does not exist! Did you mean "pg_attrdef"?" in the workspace's terms: whether X is a
 * model that is not there (and why), or a name the workspace does not have, with the tables it does. Pure.
 */
export function explainMissingTable(message: string, context: TableContext): string | undefined {
  const table = missingTableOf(message);
  if (table === undefined) return undefined;
  const bareName = table.split('.').at(-1)!.toLowerCase();
  const head = `Table ${table} is not available in this workspace`;
  const { models } = context;
  const resourceType = context.projectRelations.get(bareName);
  if (resourceType) {
    const what = `${head}: it is one of the project's ${resourceType}s`;
    return models.available
      ? `${what}, but ${models.file} does not hold it (it failed to build, or was not built since it was added).`
      : `${what}. ${models.reason}`;
  }
  const suggestion = SUGGESTION.exec(message)?.[1];
  const hint = suggestion && !INTERNAL.test(suggestion) ? ` Did you mean "${suggestion}"?` : '';
  const seeds =
    context.seeds.length === 0
      ? 'It has no seed CSVs.'
      : `Its seeds are ${context.seeds.slice(0, 6).join(', ')}${context.seeds.length > 6 ? ` and ${context.seeds.length - 6} more` : ''}.`;
  if (models.available) return `${head}: it is neither a seed nor in the models database ${models.file}.${hint}`;
  return `${head}.${hint} ${models.reason} ${seeds}`;
}
