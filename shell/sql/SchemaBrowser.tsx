import { useState } from 'react';
import type { SqlTables } from '@dbt-workbench/plugin-sdk/contracts/sql.schema';
import { useSqlTables } from './api.ts';

const count = new Intl.NumberFormat('en-US');

/** A name as SQL must write it: plain when it is a simple lowercase identifier, double-quoted otherwise. */
export function sqlName(name: string): string {
  return /^[a-z_][a-z0-9_]*$/.test(name) ? name : `"${name.replaceAll('"', '""')}"`;
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

/** The workspace's tables and their columns; clicking a name inserts it into the editor. */
export function SchemaBrowser({ workspace, onInsert }: { workspace: string; onInsert(text: string): void }) {
  const tables = useSqlTables(workspace);
  const [open, setOpen] = useState<Record<string, boolean>>({});

  let body;
  if (tables.isPending) body = <p className="wb-loading">Loading tables…</p>;
  else if (tables.isError)
    body = <div className="wb-plugin-error">Could not list the tables: {tables.error.message}</div>;
  else if (tables.data.tables.length === 0)
    body = (
      <p className="wb-muted wb-sql-hint">
        No tables: this workspace has no seed CSVs. Put CSV files in its seeds folder to query them here.
      </p>
    );
  else
    body = (
      <ul className="wb-sql-tree">
        {tables.data.tables.map((table) => (
          <li key={table.name}>
            <div className="wb-sql-tree-row">
              <button
                type="button"
                className="wb-sql-toggle"
                aria-expanded={open[table.name] ?? false}
                aria-label={`${open[table.name] ? 'Hide' : 'Show'} columns of ${table.name}`}
                onClick={() => setOpen({ ...open, [table.name]: !open[table.name] })}
              >
                {open[table.name] ? '▾' : '▸'}
              </button>
              <button
                type="button"
                className="wb-sql-name"
                title={`Insert ${table.name} (from ${table.file})`}
                onClick={() => onInsert(sqlName(table.name))}
              >
                {table.name}
              </button>
              <span className="wb-muted wb-sql-count">{count.format(table.rowCount)}</span>
            </div>
            {open[table.name] && (
              <ul className="wb-sql-columns">
                {table.columns.map((column) => (
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

  return (
    <section className="wb-card wb-sql-side" aria-label="Tables">
      <h2 className="wb-card-title">Tables</h2>
      {tables.data && <Problems problems={tables.data.problems} />}
      {body}
    </section>
  );
}
