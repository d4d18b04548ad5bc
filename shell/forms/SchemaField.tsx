import { useId } from 'react';

/** The parts of one JSON Schema property a generated form reads. */
export interface PropertySchema {
  type?: string;
  title?: string;
  description?: string;
  enum?: unknown[];
  minimum?: number;
  maximum?: number;
}

/** The properties of an object schema, in the schema's order; anything else has none. */
export function schemaProperties(schema: unknown): [string, PropertySchema][] {
  const properties = (schema as { properties?: unknown } | null | undefined)?.properties;
  return properties && typeof properties === 'object'
    ? Object.entries(properties as Record<string, PropertySchema>)
    : [];
}

/**
 * One input for one property of a JSON Schema; anything but a simple type is edited as JSON. With `error` the input
 * is marked invalid and the message is read with it; `required` marks the label.
 */
export function SchemaField({
  name,
  schema,
  value,
  onChange,
  error,
  required,
}: {
  name: string;
  schema: PropertySchema;
  value: unknown;
  onChange(v: unknown): void;
  error?: string;
  required?: boolean;
}) {
  const errorId = useId();
  const label = (
    <>
      {schema.title ?? name}
      {required && (
        <span className="wb-required" aria-hidden="true">
          {' '}
          *
        </span>
      )}
    </>
  );
  const invalid = {
    'aria-invalid': error ? true : undefined,
    'aria-describedby': error ? errorId : undefined,
    'aria-required': required || undefined,
    'data-field': name,
  } as const;
  const message = error && (
    <span id={errorId} className="wb-form-error wb-field-error" data-field-error={name}>
      {error}
    </span>
  );
  if (schema.type === 'boolean') {
    return (
      <label className="wb-switch" title={schema.description}>
        <input type="checkbox" checked={value === true} onChange={(e) => onChange(e.target.checked)} {...invalid} />
        {label}
        {message}
      </label>
    );
  }
  if (schema.enum) {
    return (
      <label title={schema.description}>
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
      <label title={schema.description}>
        {label}
        <input
          type="number"
          value={typeof value === 'number' ? value : ''}
          min={schema.minimum}
          max={schema.maximum}
          step={schema.type === 'integer' ? 1 : 'any'}
          onChange={(e) => onChange(e.target.value === '' ? undefined : Number(e.target.value))}
          {...invalid}
        />
        {message}
      </label>
    );
  }
  if (schema.type === 'string') {
    return (
      <label title={schema.description}>
        {label}
        <input value={typeof value === 'string' ? value : ''} onChange={(e) => onChange(e.target.value)} {...invalid} />
        {message}
      </label>
    );
  }
  return (
    <label title={schema.description}>
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
