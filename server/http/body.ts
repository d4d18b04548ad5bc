import type { z } from 'zod';
import { validate } from '../../shared/validation.ts';
import { HttpError } from './errors.ts';

/** Parses a request body with a zod schema; a bad body is a 400 naming every wrong field, and changes nothing. */
export function parseBody<T>(schema: z.ZodType<T>, body: unknown): T {
  const result = validate(schema, body ?? {});
  if (!result.ok) {
    throw new HttpError(
      'bad_request',
      `Invalid request body: ${result.problems.map((p) => p.message).join('; ')}`,
      result.problems,
    );
  }
  return result.value;
}
