import type { z } from 'zod';
import { validate } from '@dbt-workbench/plugin-sdk/contracts/validation';
import { HttpError } from './errors.ts';

function parseInput<T>(schema: z.ZodType<T>, input: unknown, what: string): T {
  const result = validate(schema, input ?? {});
  if (!result.ok) {
    throw new HttpError(
      'bad_request',
      `Invalid ${what}: ${result.problems.map((p) => p.message).join('; ')}`,
      result.problems,
    );
  }
  return result.value;
}

/** Parses a request body with a zod schema; a bad body is a 400 naming every wrong field, and changes nothing. */
export function parseBody<T>(schema: z.ZodType<T>, body: unknown): T {
  return parseInput(schema, body, 'request body');
}

/** Parses a query string with a zod schema; a bad one is a 400 naming every wrong parameter. */
export function parseQuery<T>(schema: z.ZodType<T>, query: unknown): T {
  return parseInput(schema, query, 'query');
}
