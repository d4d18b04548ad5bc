import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import type { PluginConfigView } from '../../shared/api.schema.ts';
import { fetchJson } from '../api/client.ts';
import { queryKeys } from '../api/queries.ts';

interface PropertySchema {
  type?: string;
  title?: string;
  description?: string;
  enum?: unknown[];
  minimum?: number;
  maximum?: number;
}

type Values = Record<string, unknown>;

/** One input for one property of the plugin's JSON Schema; anything but a simple type is edited as JSON. */
function Field({
  name,
  schema,
  value,
  onChange,
}: {
  name: string;
  schema: PropertySchema;
  value: unknown;
  onChange(v: unknown): void;
}) {
  const label = schema.title ?? name;
  if (schema.type === 'boolean') {
    return (
      <label className="wb-switch" title={schema.description}>
        <input type="checkbox" checked={value === true} onChange={(e) => onChange(e.target.checked)} />
        {label}
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
        >
          {schema.enum.map((option) => (
            <option key={String(option)} value={String(option)}>
              {String(option)}
            </option>
          ))}
        </select>
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
        />
      </label>
    );
  }
  if (schema.type === 'string') {
    return (
      <label title={schema.description}>
        {label}
        <input value={typeof value === 'string' ? value : ''} onChange={(e) => onChange(e.target.value)} />
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
      />
    </label>
  );
}

/** A form generated from the plugin's configuration schema; saving reaches the running plugin at once. */
export function ConfigForm({ name }: { name: string }) {
  const client = useQueryClient();
  const key = ['plugins', name, 'config'] as const;
  const view = useQuery({
    queryKey: key,
    queryFn: () => fetchJson<PluginConfigView>(`/api/plugins/${encodeURIComponent(name)}/config`),
  });
  const [draft, setDraft] = useState<Values | null>(null);
  const save = useMutation({
    mutationFn: (config: Values) =>
      fetchJson<PluginConfigView>(`/api/plugins/${encodeURIComponent(name)}/config`, {
        method: 'PUT',
        body: JSON.stringify({ config }),
      }),
    onSuccess: (saved) => {
      client.setQueryData(key, saved);
      setDraft(null);
      void client.invalidateQueries({ queryKey: queryKeys.plugins });
    },
  });
  if (view.isPending) return <p className="wb-loading">Loading configuration…</p>;
  if (view.isError) return <p className="wb-form-error">Could not load the configuration: {view.error.message}</p>;
  const properties = (view.data.schema?.properties ?? {}) as Record<string, PropertySchema>;
  const values: Values = draft ?? view.data.value ?? {};
  const submit = (event: FormEvent) => {
    event.preventDefault();
    save.mutate(values);
  };
  return (
    <form
      className="wb-config-form"
      onSubmit={submit}
      aria-label={`Configuration of ${name}`}
      data-testid="config-form"
    >
      <div className="wb-form-row">
        {Object.entries(properties).map(([property, schema]) => (
          <Field
            key={property}
            name={property}
            schema={schema}
            value={values[property]}
            onChange={(value) => setDraft({ ...values, [property]: value })}
          />
        ))}
      </div>
      {view.data.problems.length > 0 && (
        <p className="wb-form-error">
          The stored configuration is invalid: {view.data.problems.map((p) => p.message).join('; ')}
        </p>
      )}
      {save.isError && (
        <p className="wb-form-error" role="alert">
          {save.error.message}
        </p>
      )}
      <div>
        <button type="submit" className="wb-button wb-button-primary" disabled={save.isPending || draft === null}>
          Save configuration
        </button>
      </div>
    </form>
  );
}
