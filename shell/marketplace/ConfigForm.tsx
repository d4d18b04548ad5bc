import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import type { PluginConfigView } from '../../shared/api.schema.ts';
import * as api from '../../shared/http/plugin-config.ts';
import { callApi } from '../api/client.ts';
import { queryKeys } from '../api/queries.ts';
import { useMe } from '../auth/session.ts';
import { SchemaField, schemaProperties } from '../forms/SchemaField.tsx';

type Values = Record<string, unknown>;

const configKey = (name: string) => ['plugins', name, 'config'] as const;
const sameValue = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/** The inputs of every schema property; a workspace's overridden fields say so and can go back to the global value. */
function ConfigFields({
  schema,
  values,
  onChange,
  overrides,
}: {
  schema: PluginConfigView['schema'];
  values: Values;
  onChange(values: Values): void;
  overrides?: { fields: readonly string[]; global: Values; reset(field: string): void; busy: boolean };
}) {
  return (
    <div className="wb-form-row">
      {schemaProperties(schema).map(([property, propertySchema]) => {
        const overridden = overrides?.fields.includes(property) ?? false;
        return (
          <div
            key={property}
            className={overridden ? 'wb-config-field wb-config-overridden' : 'wb-config-field'}
            data-overridden={overridden || undefined}
          >
            <SchemaField
              name={property}
              schema={propertySchema}
              value={values[property]}
              onChange={(value) => onChange({ ...values, [property]: value })}
            />
            {overrides && overridden && (
              <span className="wb-config-override">
                <span className="wb-badge wb-badge-warn">Overrides the global value</span>{' '}
                <span className="wb-muted">global: {JSON.stringify(overrides.global[property] ?? null)}</span>{' '}
                <button
                  type="button"
                  className="wb-link-button"
                  disabled={overrides.busy}
                  onClick={() => overrides.reset(property)}
                >
                  Reset to the global value
                </button>
              </span>
            )}
          </div>
        );
      })}
    </div>
  );
}

/** The configuration every workspace gets unless it overrides a field. */
function GlobalConfigForm({ name }: { name: string }) {
  const client = useQueryClient();
  const view = useQuery({
    queryKey: configKey(name),
    queryFn: () => callApi(api.getPluginConfig, { params: { name } }),
  });
  const [draft, setDraft] = useState<Values | null>(null);
  const save = useMutation({
    mutationFn: (config: Values) => callApi(api.setPluginConfig, { params: { name }, body: { config } }),
    onSuccess: (saved) => {
      client.setQueryData(configKey(name), saved);
      setDraft(null);
      // Each workspace's view shows the global values it does not override.
      void client.invalidateQueries({ queryKey: [...configKey(name), 'workspaces'] });
      void client.invalidateQueries({ queryKey: queryKeys.plugins });
    },
  });
  if (view.isPending) return <p className="wb-loading">Loading configuration…</p>;
  if (view.isError) return <p className="wb-form-error">Could not load the configuration: {view.error.message}</p>;
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
      <ConfigFields schema={view.data.schema} values={values} onChange={setDraft} />
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

/**
 * One workspace's configuration: the global one with the fields the workspace overrides. Saving stores the fields
 * that differ from the global values; a field reset follows the global value again.
 */
function WorkspaceConfigForm({ name, workspace }: { name: string; workspace: { name: string; title: string } }) {
  const client = useQueryClient();
  const key = [...configKey(name), 'workspaces', workspace.name] as const;
  const params = { name, workspace: workspace.name };
  const global = useQuery({
    queryKey: configKey(name),
    queryFn: () => callApi(api.getPluginConfig, { params: { name } }),
  });
  const view = useQuery({ queryKey: key, queryFn: () => callApi(api.getWorkspaceConfig, { params }) });
  const [draft, setDraft] = useState<Values | null>(null);
  const save = useMutation({
    mutationFn: (override: Values) =>
      Object.keys(override).length === 0
        ? callApi(api.resetWorkspaceConfig, { params })
        : callApi(api.setWorkspaceConfig, { params, body: { config: override } }),
    onSuccess: (saved) => {
      client.setQueryData(key, saved);
      setDraft(null);
    },
  });
  if (view.isPending || global.isPending) return <p className="wb-loading">Loading configuration…</p>;
  if (view.isError) return <p className="wb-form-error">Could not load the configuration: {view.error.message}</p>;
  if (global.isError) return <p className="wb-form-error">Could not load the configuration: {global.error.message}</p>;
  const { override, overridden } = view.data;
  const values: Values = draft ?? view.data.value;
  const submit = (event: FormEvent) => {
    event.preventDefault();
    save.mutate(
      Object.fromEntries(Object.entries(values).filter(([field, value]) => !sameValue(value, view.data.global[field]))),
    );
  };
  const reset = (field: string) =>
    save.mutate(Object.fromEntries(Object.entries(override).filter(([f]) => f !== field)));
  return (
    <form
      className="wb-config-form"
      onSubmit={submit}
      aria-label={`Configuration of ${name} in ${workspace.title}`}
      data-testid="config-form"
    >
      <p className="wb-muted">
        {overridden.length === 0
          ? `${workspace.title} uses the global configuration.`
          : `${workspace.title} overrides ${overridden.length === 1 ? 'one field' : `${overridden.length} fields`}; the others follow the global configuration.`}
      </p>
      <ConfigFields
        schema={global.data.schema}
        values={values}
        onChange={setDraft}
        overrides={{ fields: overridden, global: view.data.global, reset, busy: save.isPending }}
      />
      {save.isError && (
        <p className="wb-form-error" role="alert">
          {save.error.message}
        </p>
      )}
      <div>
        <button type="submit" className="wb-button wb-button-primary" disabled={save.isPending || draft === null}>
          Save for {workspace.title}
        </button>
      </div>
    </form>
  );
}

/** A form generated from the plugin's configuration schema, for all workspaces or one; saving reaches the plugin at once. */
export function ConfigForm({ name }: { name: string }) {
  const workspaces = (useMe().data?.workspaces ?? []).filter((w) => w.role === 'admin');
  const [scope, setScope] = useState('');
  const workspace = workspaces.find((w) => w.name === scope);
  return (
    <div className="wb-config-scoped">
      <label className="wb-config-scope">
        Applies to
        <select
          aria-label="Configuration scope"
          value={workspace?.name ?? ''}
          onChange={(e) => setScope(e.target.value)}
        >
          <option value="">All workspaces</option>
          {workspaces.map((w) => (
            <option key={w.name} value={w.name}>
              {w.title}
            </option>
          ))}
        </select>
      </label>
      {workspace ? (
        <WorkspaceConfigForm key={workspace.name} name={name} workspace={workspace} />
      ) : (
        <GlobalConfigForm name={name} />
      )}
    </div>
  );
}
