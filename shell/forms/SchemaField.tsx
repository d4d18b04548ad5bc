import { useId } from 'react';

/** The parts of one JSON Schema property a generated form reads. */
export interface PropertySchema {
  type?: string;
  title?: string;
  description?: string;
  enum?: unknown[];
  minimum?: number;
  maximum?: number;
  default?: unknown;
}

/** The properties of an object schema, in the schema's order; anything else has none. */
export function schemaProperties(schema: unknown): [string, PropertySchema][] {
  const properties = (schema as { properties?: unknown } | null | undefined)?.properties;
  return properties && typeof properties === 'object'
    ? Object.entries(properties as Record<string, PropertySchema>)
    : [];
}

/** A property's name in words, for a label or a column: `assignedBy` and `row_limit` become "Assigned by", "Row limit". */
export function propertyLabel(name: string): string {
  const words = name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/[_-]+/g, ' ')
    .trim()
    .toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/**
 * One input for one property of a JSON Schema; anything but a simple type is edited as JSON. With `error` the input
 * is marked invalid and the message is read with it; `required` marks the label; `describe` shows the property's
 * description under the input (else it is the label's tooltip). A default shows as the placeholder.
 */
export function SchemaField({
  name,
  schema,
  value,
  onChange,
  error,
  required,
  describe,
  label: fallbackLabel,
}: {
  name: string;
  schema: PropertySchema;
  value: unknown;
  onChange(v: unknown): void;
  error?: string;
  required?: boolean;
  describe?: boolean;
  /** The label when the schema has no `title` (else the property's name). */
  label?: string;
}) {
  const errorId = useId();
  const hintId = useId();
  const hint = describe && schema.description;
  const placeholder = schema.default === undefined ? undefined : String(schema.default);
  const label = (
    <span className="wb-field-label">
      {schema.title ?? fallbackLabel ?? name}
      {required && (
        <span className="wb-required" aria-hidden="true">
          {' '}
          *
        </span>
      )}
    </span>
  );
  const invalid = {
    'aria-invalid': error ? true : undefined,
    'aria-describedby': [hint ? hintId : '', error ? errorId : ''].filter(Boolean).join(' ') || undefined,
    'aria-required': required || undefined,
    'data-field': name,
  } as const;
  const message = (
    <>
      {hint && (
        <span id={hintId} className="wb-muted wb-field-hint">
          {hint}
        </span>
      )}
      {error && (
        <span id={errorId} className="wb-form-error wb-field-error" data-field-error={name}>
          {error}
        </span>
      )}
    </>
  );
  if (schema.type === 'boolean') {
    return (
      <label className="wb-switch" title={hint ? undefined : schema.description}>
        <input type="checkbox" checked={value === true} onChange={(e) => onChange(e.target.checked)} {...invalid} />
        {label}
        {message}
      </label>
    );
  }
  if (schema.enum) {
    return (
      <label title={hint ? undefined : schema.description}>
        {label}
        <select
          value={String(value ?? '')}
          onChange={(e) => onChange(schema.enum!.find((o) => String(o) === e.target.value))}
          {...invalid}
        >
          {value === undefined && <option value="">Choose…</option>}
          {schema.enum.map((option) => (
            <option key={String(option)} value={String(option)}>
              {String(option)}
            </option>
          ))}
        </select>
        {message}
      </label>
    );
  }
  if (schema.type === 'number' || schema.type === 'integer') {
    return (
      <label title={hint ? undefined : schema.description}>
        {label}
        <input
          type="number"
          value={typeof value === 'number' ? value : ''}
          min={schema.minimum}
          max={schema.maximum}
          step={schema.type === 'integer' ? 1 : 'any'}
          placeholder={placeholder}
          onChange={(e) => onChange(e.target.value === '' ? undefined : Number(e.target.value))}
          {...invalid}
        />
        {message}
      </label>
    );
  }
  if (schema.type === 'string') {
    return (
      <label title={hint ? undefined : schema.description}>
        {label}
        <input
          value={typeof value === 'string' ? value : ''}
          placeholder={placeholder}
          onChange={(e) => onChange(e.target.value)}
          {...invalid}
        />
        {message}
      </label>
    );
  }
  return (
    <label title={hint ? undefined : schema.description}>
      {label} (JSON)
      <textarea
        rows={3}
        defaultValue={JSON.stringify(value ?? null, null, 2)}
        onChange={(e) => {
          try {
            onChange(JSON.parse(e.target.value));
          } catch {
            // Left as is until it parses; the server names what is wrong on save.
          }
        }}
        {...invalid}
      />
      {message}
    </label>
  );
}
