import { useState } from 'react';
import type { SqlColumn, SqlModels, SqlTables } from '@dbt-workbench/plugin-sdk/contracts/sql.schema';
import { useSqlTables } from './api.ts';

const count = new Intl.NumberFormat('en-US');

/** A name as SQL must write it: plain when it is a simple lowercase identifier, double-quoted otherwise. */
export function sqlName(name: string): string {
  return /^[a-z_][a-z0-9_]*$/.test(name) ? name : `"${name.replaceAll('"', '""')}"`;
}

/** What the seeds part of a message says: whether there are any to query. Pure. */
export function seedsPhrase(seeds: number): string {
  if (seeds === 0) return 'It has no seed CSVs either: put CSV files in its seeds folder to query them here.';
  return seeds === 1 ? 'Its seed is available below.' : `Its ${seeds} seeds are available below.`;
}

/** Where the models come from, in a few words. Pure. */
export function modelsSourceLabel(models: Extract<SqlModels, { available: true }>): string {
  return models.origin === 'simulated'
    ? `${models.file}, written by the demo's run simulator`
    : `a read-only copy of ${models.file}`;
}

function Problems({ problems }: { problems: SqlTables['problems'] }) {
  if (problems.length === 0) return null;
  return (
    <div className="wb-plugin-error wb-sql-problems">
      {problems.length === 1 ? 'One seed file' : `${problems.length} seed files`} could not be loaded:
      {problems.map((p) => (
        <details key={p.file} className="wb-error-details">
          <summary>{p.file}</summary>
          <pre>{p.message}</pre>
        </details>
      ))}
    </div>
  );
}

interface TreeEntry {
  key: string;
  label: string;
  /** Inserted into the editor. */
  reference: string;
  title: string;
  detail: string;
  columns: SqlColumn[];
}

/** A list of tables whose columns unfold; clicking a name inserts it. */
function TableTree({
  label,
  entries,
  onInsert,
}: {
  label: string;
  entries: TreeEntry[];
  onInsert(text: string): void;
}) {
  const [open, setOpen] = useState<Record<string, boolean>>({});
  return (
    <ul className="wb-sql-tree" aria-label={label}>
      {entries.map((entry) => (
        <li key={entry.key}>
          <div className="wb-sql-tree-row">
            <button
              type="button"
              className="wb-sql-toggle"
              aria-expanded={open[entry.key] ?? false}
              aria-label={`${open[entry.key] ? 'Hide' : 'Show'} columns of ${entry.label}`}
              onClick={() => setOpen({ ...open, [entry.key]: !open[entry.key] })}
            >
              {open[entry.key] ? '▾' : '▸'}
            </button>
            <button type="button" className="wb-sql-name" title={entry.title} onClick={() => onInsert(entry.reference)}>
              {entry.label}
            </button>
            <span className="wb-muted wb-sql-count">{entry.detail}</span>
          </div>
          {open[entry.key] && (
            <ul className="wb-sql-columns">
              {entry.columns.map((column) => (
                <li key={column.name}>
                  <button
                    type="button"
                    className="wb-sql-name"
                    title={`Insert ${column.name}`}
                    onClick={() => onInsert(sqlName(column.name))}
                  >
                    {column.name}
                  </button>
                  <span className="wb-sql-type">{column.type}</span>
                </li>
              ))}
            </ul>
          )}
        </li>
      ))}
    </ul>
  );
}

/** The project's models (or why there are none) and the seeds, with their columns; a click inserts a name. */
export function SchemaBrowser({ workspace, onInsert }: { workspace: string; onInsert(text: string): void }) {
  const tables = useSqlTables(workspace);

  let body;
  if (tables.isPending) body = <p className="wb-loading">Loading tables…</p>;
  else if (tables.isError)
    body = <div className="wb-plugin-error">Could not list the tables: {tables.error.message}</div>;
  else {
    const { models, tables: seeds } = tables.data;
    body = (
      <>
        <h3 className="wb-sql-group">Models</h3>
        {models.available ? (
          <>
            <p className="wb-muted wb-sql-hint" data-testid="sql-models-source">
              From {modelsSourceLabel(models)}.
            </p>
            {models.tables.length === 0 ? (
              <p className="wb-muted wb-sql-hint">The database holds no tables or views yet.</p>
            ) : (
              <TableTree
                label="Models"
                onInsert={onInsert}
                entries={models.tables.map((t) => ({
                  key: `${t.schema}.${t.name}`,
                  label: t.reference === sqlName(t.name) ? t.name : t.reference,
                  reference: t.reference,
                  title: `Insert ${t.reference} (${t.resourceType ?? t.type} in schema ${t.schema})`,
                  detail: t.rowCount === null ? t.type : count.format(t.rowCount),
                  columns: t.columns,
                }))}
              />
            )}
          </>
        ) : (
          <p className="wb-sql-notice" data-testid="sql-models-unavailable">
            {models.reason} {seedsPhrase(seeds.length)}
          </p>
        )}
        {(seeds.length > 0 || models.available) && <h3 className="wb-sql-group">Seeds</h3>}
        {seeds.length === 0 ? (
          models.available && (
            <p className="wb-muted wb-sql-hint">
              No seed CSVs: put CSV files in this workspace's seeds folder to query them.
            </p>
          )
        ) : (
          <TableTree
            label="Seeds"
            onInsert={onInsert}
            entries={seeds.map((t) => ({
              key: t.name,
              label: t.name,
              reference: sqlName(t.name),
              title: `Insert ${t.name} (from ${t.file})`,
              detail: count.format(t.rowCount),
              columns: t.columns,
            }))}
          />
        )}
      </>
    );
  }

  return (
    <section className="wb-card wb-sql-side" aria-label="Tables">
      <h2 className="wb-card-title">Tables</h2>
      {tables.data && <Problems problems={tables.data.problems} />}
      {body}
    </section>
  );
}
