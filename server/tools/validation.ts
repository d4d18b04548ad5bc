import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import type { ToolArgumentProblem } from '../../shared/tools.schema.ts';

const ajv = new Ajv({ allErrors: true, useDefaults: true, strict: false });
(addFormats as unknown as (ajv: Ajv) => void)(ajv);

/** Compiled validators by schema text: a refresh hands new manifest objects with the same schemas. */
const KEEP_COMPILED = 1024;
const compiled = new Map<string, ValidateFunction>();

/** The validator of a tool's schema, compiled once; throws with Ajv's reason when the schema is not valid. */
function validatorFor(schema: Record<string, unknown>): ValidateFunction {
  const text = JSON.stringify(schema);
  const known = compiled.get(text);
  if (known) return known;
  const copy = JSON.parse(text) as Record<string, unknown>;
  try {
    const validate = ajv.compile(copy);
    if (compiled.size >= KEEP_COMPILED) compiled.delete(compiled.keys().next().value!);
    compiled.set(text, validate);
    return validate;
  } finally {
    ajv.removeSchema(copy);
  }
}

/** One problem per Ajv error, each naming its field as a JSON pointer (`/model`), the missing one for `required`. */
function problemsOf(errors: readonly ErrorObject[]): ToolArgumentProblem[] {
  return errors.map((e) => {
    const missing =
      e.keyword === 'required' ? `/${String((e.params as { missingProperty: string }).missingProperty)}` : '';
    const extra =
      e.keyword === 'additionalProperties'
        ? `/${String((e.params as { additionalProperty: string }).additionalProperty)}`
        : '';
    const field = `${e.instancePath}${missing}${extra}`;
    const message = extra ? 'is not a parameter of this tool' : (e.message ?? 'is not valid');
    return { field, message };
  });
}

export type SchemaCheck =
  | { ok: true; value: Record<string, unknown> }
  | { ok: false; problems: ToolArgumentProblem[] }
  | { ok: false; schemaError: string };

/**
 * Checks `value` against a tool's JSON Schema, on a copy with the schema's defaults filled in; never throws.
 * `schemaError` when the schema itself does not compile.
 */
export function checkAgainst(schema: Record<string, unknown>, value: unknown): SchemaCheck {
  let validate: ValidateFunction;
  try {
    validate = validatorFor(schema);
  } catch (error) {
    return { ok: false, schemaError: (error as Error).message };
  }
  const copy = value === undefined ? undefined : (structuredClone(value) as unknown);
  if (validate(copy) && copy !== null && typeof copy === 'object' && !Array.isArray(copy))
    return { ok: true, value: copy as Record<string, unknown> };
  const problems = validate.errors?.length
    ? problemsOf(validate.errors)
    : [{ field: '', message: 'must be an object' }];
  return { ok: false, problems };
}

/** `/model: must be string; /limit: must be <= 100`, for a message. */
export function describeProblems(problems: readonly ToolArgumentProblem[]): string {
  return problems.map((p) => `${p.field || '(the arguments)'} ${p.message}`).join('; ');
}
