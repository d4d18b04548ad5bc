import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import type { PluginManifest } from '../contracts/plugin-manifest.schema.ts';
import type { ValidationProblem } from '../contracts/validation.ts';

export type Json = Record<string, unknown>;

function createAjv(): Ajv {
  const ajv = new Ajv({ allErrors: true, useDefaults: true, strict: false });
  (addFormats as unknown as (ajv: Ajv) => void)(ajv);
  return ajv;
}
const ajv = createAjv();

/**
 * The largest `configuration.schema` compiled, as JSON, and the most objects (subschemas) in it. Compiling blocks
 * the server's event loop for about 1 ms per property, so a bigger schema is refused before it is compiled.
 */
export const MAX_CONFIGURATION_SCHEMA_BYTES = 16 * 1024;
export const MAX_CONFIGURATION_SUBSCHEMAS = 64;
/** Compiled schemas kept, by their JSON text: each refresh evaluates every plugin again. */
const KEEP_COMPILED = 64;
const compiled = new Map<string, ValidateFunction>();

/** Counts the objects of a JSON value, stopping once past `max`. */
function objectsIn(value: unknown, max: number): number {
  let count = 0;
  const visit = (v: unknown): void => {
    if (count > max || v === null || typeof v !== 'object') return;
    count += 1;
    for (const child of Object.values(v)) visit(child);
  };
  visit(value);
  return count;
}

/** The compiled validator of a schema, compiled once per distinct schema; throws when it is too big or not valid. */
function validatorFor(schema: Json): ValidateFunction {
  const text = JSON.stringify(schema);
  const known = compiled.get(text);
  if (known) return known;
  if (text.length > MAX_CONFIGURATION_SCHEMA_BYTES) {
    throw new Error(
      `the schema takes ${Math.ceil(text.length / 1024)} KB as JSON; at most ${MAX_CONFIGURATION_SCHEMA_BYTES / 1024} KB are allowed`,
    );
  }
  if (objectsIn(schema, MAX_CONFIGURATION_SUBSCHEMAS) > MAX_CONFIGURATION_SUBSCHEMAS) {
    throw new Error(
      `the schema has more than ${MAX_CONFIGURATION_SUBSCHEMAS} objects (subschemas); that is the most allowed`,
    );
  }
  const copy = JSON.parse(text) as Json;
  try {
    const validate = ajv.compile(copy);
    if (compiled.size >= KEEP_COMPILED) compiled.delete(compiled.keys().next().value!);
    compiled.set(text, validate);
    return validate;
  } finally {
    // Ajv keeps every compiled schema (and its $id) otherwise: memory would grow with each refresh.
    ajv.removeSchema(copy);
  }
}

function problemsOf(errors: ErrorObject[] | null | undefined, prefix: string): ValidationProblem[] {
  return (errors ?? []).map((e) => {
    // An unknown field is named itself, not its parent object.
    const extra = e.keyword === 'additionalProperties' ? `.${String(e.params.additionalProperty)}` : '';
    const field = `${prefix}${e.instancePath.replaceAll('/', '.')}${extra}` || '(config)';
    return { field, rule: e.keyword, message: `${field}: ${e.message ?? 'is invalid'}` };
  });
}

/** Problems with a manifest's `configuration`: its schema must compile and its default must satisfy it. Pure. */
export function configurationProblems(manifest: PluginManifest): ValidationProblem[] {
  const configuration = manifest.configuration;
  if (!configuration) return [];
  let validate;
  try {
    validate = validatorFor(configuration.schema);
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
  let validate;
  try {
    validate = validatorFor(configuration.schema);
  } catch (error) {
    const message = `configuration.schema: ${(error as Error).message}`;
    return { ok: false, problems: [{ field: 'configuration.schema', rule: 'json-schema', message }] };
  }
  return validate(value) ? { ok: true, value } : { ok: false, problems: problemsOf(validate.errors, 'config') };
}
