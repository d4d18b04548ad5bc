import { z } from 'zod';

/** One thing wrong (or odd) with a document: which field, which rule, and a sentence saying so. */
export const ValidationProblem = z.object({
  field: z.string(),
  rule: z.string(),
  message: z.string(),
});
export type ValidationProblem = z.infer<typeof ValidationProblem>;

export type Validated<T> =
  | { ok: true; value: T; warnings: ValidationProblem[] }
  | { ok: false; problems: ValidationProblem[]; warnings: ValidationProblem[] };

/** Renders a zod path as the dotted field name a person would write: `frontend.contributions[1].slot`. */
export function fieldName(path: readonly PropertyKey[]): string {
  if (path.length === 0) return '(document)';
  return path.map((key, i) => (typeof key === 'number' ? `[${key}]` : `${i === 0 ? '' : '.'}${String(key)}`)).join('');
}

function ruleOf(issue: z.core.$ZodIssue): string {
  switch (issue.code) {
    case 'invalid_type':
      return issue.input === undefined ? 'required' : 'type';
    case 'too_small':
      return 'min';
    case 'too_big':
      return 'max';
    case 'invalid_format':
      return issue.format === 'regex' ? 'pattern' : issue.format;
    case 'invalid_value':
      return 'one-of';
    case 'invalid_union':
      return 'one-of';
    case 'unrecognized_keys':
      return 'unknown-field';
    case 'invalid_key':
      return 'key';
    case 'custom': {
      const rule = (issue.params as { rule?: unknown } | undefined)?.rule;
      return typeof rule === 'string' ? rule : 'custom';
    }
    default:
      return issue.code;
  }
}

function messageOf(issue: z.core.$ZodIssue): string {
  if (issue.code === 'invalid_type' && issue.input === undefined) return 'is required';
  return issue.message;
}

/** Turns zod issues into problems that each name the field and the rule. Parse with `reportInput: true`. */
export function problemsFrom(error: z.ZodError): ValidationProblem[] {
  return error.issues.map((issue) => {
    const field = fieldName(issue.path);
    return { field, rule: ruleOf(issue), message: `${field}: ${messageOf(issue)}` };
  });
}

/** Lists fields of `value` that `schema` does not know, walking nested objects and arrays. */
export function unknownFields(schema: z.ZodType, value: unknown, path: PropertyKey[] = []): ValidationProblem[] {
  const inner = unwrap(schema);
  if (inner instanceof z.ZodObject && isPlainObject(value)) {
    const shape = inner.shape as Record<string, z.ZodType>;
    return Object.entries(value).flatMap(([key, child]) => {
      const childSchema = shape[key];
      if (childSchema) return unknownFields(childSchema, child, [...path, key]);
      const field = fieldName([...path, key]);
      return [{ field, rule: 'unknown-field', message: `${field}: is not a known field and is ignored` }];
    });
  }
  if (inner instanceof z.ZodArray && Array.isArray(value)) {
    return value.flatMap((item, i) => unknownFields(inner.element as z.ZodType, item, [...path, i]));
  }
  if (inner instanceof z.ZodDiscriminatedUnion && isPlainObject(value)) {
    const match = (inner.options as z.ZodType[]).find((option) => option.safeParse(value).success);
    return match ? unknownFields(match, value, path) : [];
  }
  return [];
}

function unwrap(schema: z.ZodType): z.ZodType {
  let current: z.ZodType = schema;
  while (current instanceof z.ZodOptional || current instanceof z.ZodNullable || current instanceof z.ZodDefault) {
    current = current.unwrap() as z.ZodType;
  }
  return current;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Parses `value` with `schema`; errors name field and rule, unknown fields come back as warnings. */
export function validate<T>(schema: z.ZodType<T>, value: unknown): Validated<T> {
  const warnings = unknownFields(schema, value);
  const result = schema.safeParse(value, { reportInput: true });
  if (result.success) return { ok: true, value: result.data, warnings };
  return { ok: false, problems: problemsFrom(result.error), warnings };
}
