import { useState } from 'react';
import { isNumericSqlType, type SqlQueryResult } from '@dbt-workbench/plugin-sdk/contracts/sql.schema';

/** Rows put on the page at a time: thousands of table rows at once make the browser stall. */
const PAGE_ROWS = 1_000;

const count = new Intl.NumberFormat('en-US');

/** The scale of a `DECIMAL(p,s)` type, so 1.5 in a DECIMAL(10,2) column shows as 1.50. */
function decimalScale(type: string): number | null {
  const match = /^DECIMAL\(\d+,(\d+)\)$/.exec(type);
  return match ? Number(match[1]) : null;
}

function cellText(value: unknown, scale: number | null): string {
  if (typeof value === 'number' && scale !== null) return value.toFixed(scale);
  if (typeof value === 'string') return value;
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

function Cell({ value, numeric, scale }: { value: unknown; numeric: boolean; scale: number | null }) {
  if (value === null || value === undefined)
    return <td className={`wb-sql-null${numeric ? ' wb-sql-number' : ''}`}>NULL</td>;
  return <td className={numeric ? 'wb-sql-number' : undefined}>{cellText(value, scale)}</td>;
}

/** What came back: a summary line, a truncation notice, and the rows under a sticky, typed header. */
export function ResultsTable({ result }: { result: SqlQueryResult }) {
  const numeric = result.columns.map((c) => isNumericSqlType(c.type));
  const scales = result.columns.map((c) => decimalScale(c.type));
  const [shown, setShown] = useState(PAGE_ROWS);
  const rows = result.rows.length > shown ? result.rows.slice(0, shown) : result.rows;
  return (
    <section className="wb-sql-results" aria-label="Query results">
      <p className="wb-sql-summary" data-testid="sql-summary">
        <strong>
          {count.format(result.rowCount)} {result.rowCount === 1 ? 'row' : 'rows'}
        </strong>
        <span className="wb-muted">
          {' '}
          · {result.elapsedMs < 10 ? result.elapsedMs.toFixed(1) : Math.round(result.elapsedMs)} ms
        </span>
      </p>
      {result.truncated && (
        <p className="wb-reason" data-testid="sql-truncated">
          Showing the first {count.format(result.limit)} rows only: the query returned more. Add a <code>LIMIT</code>,
          narrow it down, or raise the row limit.
        </p>
      )}
      {result.columns.length === 0 ? (
        <p className="wb-muted">The statement ran and returned no columns.</p>
      ) : (
        <div className="wb-sql-table-scroll">
          <table className="wb-table wb-sql-table">
            <thead>
              <tr>
                <th className="wb-sql-rownum" aria-label="Row number" />
                {result.columns.map((column, i) => (
                  <th key={i} className={numeric[i] ? 'wb-sql-number' : undefined}>
                    <span className="wb-sql-col-name">{column.name}</span>
                    <span className="wb-sql-col-type">{column.type}</span>
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {rows.map((row, r) => (
                <tr key={r}>
                  <td className="wb-sql-rownum">{r + 1}</td>
                  {row.map((value, c) => (
                    <Cell key={c} value={value} numeric={numeric[c] ?? false} scale={scales[c] ?? null} />
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
          {result.rows.length === 0 && <p className="wb-sql-no-rows wb-muted">The query returned no rows.</p>}
          {rows.length < result.rows.length && (
            <p className="wb-sql-more">
              <span className="wb-muted">
                {count.format(rows.length)} of {count.format(result.rows.length)} rows on the page.
              </span>{' '}
              <button type="button" className="wb-button" onClick={() => setShown(shown + PAGE_ROWS)}>
                Show {count.format(Math.min(PAGE_ROWS, result.rows.length - rows.length))} more
              </button>
            </p>
          )}
        </div>
      )}
    </section>
  );
}
