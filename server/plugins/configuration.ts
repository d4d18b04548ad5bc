import { Ajv, type ErrorObject } from 'ajv';
import addFormats from 'ajv-formats';
import type { PluginManifest } from '../../shared/plugin-manifest.schema.ts';
import type { ValidationProblem } from '../../shared/validation.ts';
import type { Database } from '../db/database.ts';

type Json = Record<string, unknown>;

function createAjv(): Ajv {
  const ajv = new Ajv({ allErrors: true, useDefaults: true, strict: false });
  (addFormats as unknown as (ajv: Ajv) => void)(ajv);
  return ajv;
}
const ajv = createAjv();

function problemsOf(errors: ErrorObject[] | null | undefined, prefix: string): ValidationProblem[] {
  return (errors ?? []).map((e) => {
    const field = `${prefix}${e.instancePath.replaceAll('/', '.')}` || '(config)';
    return { field, rule: e.keyword, message: `${field}: ${e.message ?? 'is invalid'}` };
  });
}

/** Problems with a manifest's `configuration`: its schema must compile and its default must satisfy it. Pure. */
export function configurationProblems(manifest: PluginManifest): ValidationProblem[] {
  const configuration = manifest.configuration;
  if (!configuration) return [];
  let validate;
  try {
    validate = ajv.compile(configuration.schema);
  } catch (error) {
    return [
      {
        field: 'configuration.schema',
        rule: 'json-schema',
        message: `configuration.schema: ${(error as Error).message}`,
      },
    ];
  }
  const value = structuredClone(configuration.default ?? {});
  return validate(value) ? [] : problemsOf(validate.errors, 'configuration.default');
}

export type ConfigResult = { ok: true; value: Json } | { ok: false; problems: ValidationProblem[] };

/**
 * A plugin's configuration as it runs: the stored values (or the manifest's default) checked against the
 * manifest's JSON Schema, with the schema's defaults filled in. Pure.
 */
export function resolveConfig(manifest: PluginManifest, stored: Json | undefined): ConfigResult {
  const configuration = manifest.configuration;
  const value = structuredClone(stored ?? (configuration?.default as Json | undefined) ?? {});
  if (!configuration) return { ok: true, value };
  const validate = ajv.compile(configuration.schema);
  return validate(value) ? { ok: true, value } : { ok: false, problems: problemsOf(validate.errors, 'config') };
}

/** Stored configurations, one JSON document per plugin. Kept on disable, deleted on remove. */
export function createConfigStore(db: Database) {
  return {
    async load(): Promise<Map<string, Json>> {
      const rows = await db.all<{ name: string; config: string }>('SELECT name, config FROM plugin_config');
      return new Map(rows.map((r) => [r.name, JSON.parse(r.config) as Json]));
    },
    async set(name: string, config: Json, userId: string): Promise<void> {
      await db.transaction(async (tx) => {
        await tx.run('DELETE FROM plugin_config WHERE name = ?', [name]);
        await tx.run('INSERT INTO plugin_config (name, config, updated_by, updated_at) VALUES (?, ?, ?, ?)', [
          name,
          JSON.stringify(config),
          userId,
          new Date().toISOString(),
        ]);
      });
    },
    async remove(name: string): Promise<void> {
      await db.run('DELETE FROM plugin_config WHERE name = ?', [name]);
    },
  };
}

export type ConfigStore = ReturnType<typeof createConfigStore>;
