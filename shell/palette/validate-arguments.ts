import { z } from 'zod';
import { ToolArgumentProblem } from '../../shared/tools.schema.ts';
import '../app/no-eval.ts';

/** What is wrong with a tool's arguments, by top-level field; `''` holds what belongs to no one field. */
export type FieldErrors = Record<string, string>;

const compiled = new WeakMap<object, z.ZodType>();

function compile(schema: object): z.ZodType {
  let parser = compiled.get(schema);
  if (!parser) {
    parser = z.fromJSONSchema(schema as Parameters<typeof z.fromJSONSchema>[0]);
    compiled.set(schema, parser);
  }
  return parser;
}

/** The form's values as arguments: fields left empty are left out, as if never filled. Pure. */
export function argumentsOf(values: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(values).filter(([, v]) => v !== undefined && v !== ''));
}

function message(issue: z.core.$ZodIssue): string {
  if (issue.code === 'invalid_type' && issue.input === undefined) return 'Required.';
  return issue.message.endsWith('.') ? issue.message : `${issue.message}.`;
}

/**
 * Checks arguments against the tool's parameter schema as the user types, one message per field (the first found).
 * The server checks again and has the last word; a schema this cannot read checks nothing here.
 */
export function validateArguments(schema: unknown, args: Record<string, unknown>): FieldErrors {
  if (!schema || typeof schema !== 'object') return {};
  let parser: z.ZodType;
  try {
    parser = compile(schema);
  } catch {
    return {};
  }
  const parsed = parser.safeParse(args);
  if (parsed.success) return {};
  const errors: FieldErrors = {};
  for (const issue of parsed.error.issues) {
    const field = typeof issue.path[0] === 'string' ? issue.path[0] : '';
    // An unknown property is named by the issue's keys, not its path.
    if (issue.code === 'unrecognized_keys') {
      errors[''] ??= `Not a parameter of this tool: ${issue.keys.join(', ')}.`;
      continue;
    }
    errors[field] ??= message(issue);
  }
  return errors;
}

/**
 * The server's `tool_arguments_invalid` details by top-level field (`/limit` and `/filter/0` go to `limit` and
 * `filter`; `` to the form as a whole); anything else in `details` gives nothing. Pure.
 */
export function serverFieldErrors(details: unknown): FieldErrors {
  const problems = z.array(ToolArgumentProblem).safeParse(details);
  if (!problems.success) return {};
  const errors: FieldErrors = {};
  for (const { field, message } of problems.data) {
    const top = (field.split('/')[1] ?? '').replaceAll('~1', '/').replaceAll('~0', '~');
    errors[top] = errors[top] ? `${errors[top]} ${message}` : message;
  }
  return errors;
}
