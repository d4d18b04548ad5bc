import type { SqlQueryResult } from '@dbt-workbench/plugin-sdk';

export interface Bar {
  label: string;
  value: number;
}

const NUMERIC =
  /^(TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT|UTINYINT|USMALLINT|UINTEGER|UBIGINT|FLOAT|DOUBLE|DECIMAL.*|REAL)$/i;

/** The first text-like column against the first numeric one, as at most `max` bars; null when there is no such pair. */
export function barsOf(result: SqlQueryResult, max = 30): { label: string; value: string; bars: Bar[] } | null {
  const valueIndex = result.columns.findIndex((c) => NUMERIC.test(c.type));
  const labelIndex = result.columns.findIndex((_, i) => i !== valueIndex);
  if (valueIndex < 0 || labelIndex < 0) return null;
  const bars = result.rows.slice(0, max).flatMap((row) => {
    const value = Number(row[valueIndex]);
    return Number.isFinite(value) ? [{ label: String(row[labelIndex] ?? 'null'), value }] : [];
  });
  return { label: result.columns[labelIndex]!.name, value: result.columns[valueIndex]!.name, bars };
}
