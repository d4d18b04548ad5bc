/** How the palette shows a tool's result, chosen from the tool's result schema. */
export type ResultView =
  | { kind: 'table'; columns: string[]; rows: Record<string, unknown>[]; caption?: string }
  | { kind: 'markdown'; text: string }
  | { kind: 'json'; value: unknown };

interface SchemaLike {
  type?: string | string[];
  contentMediaType?: string;
  format?: string;
  items?: SchemaLike;
  properties?: Record<string, SchemaLike>;
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const asSchema = (s: unknown): SchemaLike => (isRecord(s) ? (s as SchemaLike) : {});
const typeIs = (s: SchemaLike, type: string) => s.type === type || (Array.isArray(s.type) && s.type.includes(type));
const isMarkdown = (s: SchemaLike) =>
  typeIs(s, 'string') && (s.contentMediaType === 'text/markdown' || s.format === 'markdown');
const isRowList = (s: SchemaLike) => typeIs(s, 'array') && typeIs(asSchema(s.items), 'object');

function table(itemSchema: SchemaLike, rows: Record<string, unknown>[], caption?: string): ResultView {
  const columns = Object.keys(itemSchema.properties ?? {});
  for (const row of rows) for (const key of Object.keys(row)) if (!columns.includes(key)) columns.push(key);
  return { kind: 'table', columns, rows, caption };
}

/**
 * The view a result gets: markdown for a string the schema marks `contentMediaType: text/markdown`; a table for an
 * array of objects, or for an object whose one list of objects is the point (its other fields become the caption);
 * JSON for anything else, or for a value that does not have the shape its schema promised. Pure.
 */
export function resultView(resultSchema: unknown, value: unknown): ResultView {
  const schema = asSchema(resultSchema);
  if (isMarkdown(schema) && typeof value === 'string') return { kind: 'markdown', text: value };
  if (isRowList(schema) && Array.isArray(value) && value.every(isRecord)) {
    return table(asSchema(schema.items), value);
  }
  if (typeIs(schema, 'object') && isRecord(value)) {
    const lists = Object.entries(schema.properties ?? {}).filter(([, s]) => isRowList(s));
    if (lists.length === 1) {
      const [field, listSchema] = lists[0]!;
      const rows = value[field];
      const rest = Object.entries(value).filter(([k, v]) => k !== field && (v === null || typeof v !== 'object'));
      if (Array.isArray(rows) && rows.every(isRecord)) {
        const caption = rest.map(([k, v]) => `${k}: ${String(v)}`).join(' · ') || undefined;
        return table(asSchema(listSchema.items), rows, caption);
      }
    }
    const markdown = Object.entries(schema.properties ?? {}).filter(([, s]) => isMarkdown(s));
    if (markdown.length === 1 && Object.keys(value).length === 1 && typeof value[markdown[0]![0]] === 'string') {
      return { kind: 'markdown', text: value[markdown[0]![0]] as string };
    }
  }
  return { kind: 'json', value };
}

/** A table cell's text: scalars as they are, anything nested as compact JSON. */
export function cellText(value: unknown): string {
  if (value === null || value === undefined) return '';
  return typeof value === 'object' ? JSON.stringify(value) : String(value);
}
