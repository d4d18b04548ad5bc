import type { ToolResultView } from '../../shared/tools.schema.ts';

/** What the palette draws for a tool's result. */
export type ResultView =
  | { kind: 'table'; columns: string[]; rows: Record<string, unknown>[]; caption?: string }
  | { kind: 'markdown'; text: string }
  | { kind: 'json'; value: unknown };

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The declared columns of the result's `rows`, in the schema's order. */
function declaredColumns(resultSchema: unknown): string[] {
  const rows = isRecord(resultSchema) && isRecord(resultSchema.properties) ? resultSchema.properties.rows : undefined;
  const items = isRecord(rows) ? rows.items : undefined;
  return isRecord(items) && isRecord(items.properties) ? Object.keys(items.properties) : [];
}

/**
 * The server names a result's view from its schema (`table`: objects under `rows`; `markdown`: text under
 * `markdown`); this reads the value that way: a table's columns in the schema's order then any others, its other
 * plain fields as the caption. A value without the promised shape is shown as JSON. Pure.
 */
export function resultView(view: ToolResultView, resultSchema: unknown, value: Record<string, unknown>): ResultView {
  if (view === 'markdown' && typeof value.markdown === 'string') return { kind: 'markdown', text: value.markdown };
  const rows = value.rows;
  if (view === 'table' && Array.isArray(rows) && rows.every(isRecord)) {
    const columns = declaredColumns(resultSchema);
    for (const row of rows) for (const key of Object.keys(row)) if (!columns.includes(key)) columns.push(key);
    const caption = Object.entries(value)
      .filter(([k, v]) => k !== 'rows' && (v === null || typeof v !== 'object'))
      .map(([k, v]) => `${k}: ${String(v)}`)
      .join(' · ');
    return { kind: 'table', columns, rows, caption: caption || undefined };
  }
  return { kind: 'json', value };
}

/** A table cell's text: scalars as they are, anything nested as compact JSON. */
export function cellText(value: unknown): string {
  if (value === null || value === undefined) return '';
  return typeof value === 'object' ? JSON.stringify(value) : String(value);
}
