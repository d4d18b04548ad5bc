import { z } from 'zod';
import { problemsFrom } from './validation.ts';

/** The body of every error answer of the app's HTTP API: `{error: {code, message, details?}}`. */
export const ApiErrorBody = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    details: z.unknown().optional(),
  }),
});
export type ApiErrorBody = z.infer<typeof ApiErrorBody>;

/** The HTTP methods routes are declared with. */
export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/**
 * One route of the HTTP API, the single source of truth the server registers it from and the clients call it with.
 * Every route may also answer an error status with `ApiErrorBody`; `responses` lists its success answers.
 */
export interface RouteContract {
  method: HttpMethod;
  /** Fastify's form: `/api/users/:id`; every `:name` is a key of `params`. */
  path: string;
  params?: z.ZodType;
  query?: z.ZodType;
  /** A JSON body; absent for routes that read none. */
  body?: z.ZodType;
  /**
   * The content type of a raw (non-JSON) body the route also takes, e.g. `application/zip`: the client sends bytes
   * as they are, and the server hands them to the handler as a Buffer without `body` validation.
   */
  rawBody?: string;
  /** Success answers by status, e.g. `{200: UserList}` or `{201: CreatedUser}`. */
  responses: Readonly<Record<number, z.ZodType>>;
}

/**
 * Declares a route; checks at load time that the path's parameters are the `params` schema's keys.
 * @example
 * export const getUser = defineRoute({
 *   method: 'GET', path: '/api/users/:id', params: z.object({ id: z.string() }), responses: { 200: UserSummary },
 * });
 */
export function defineRoute<const C extends RouteContract>(contract: C): C {
  const inPath = [...contract.path.matchAll(/:([A-Za-z0-9_]+)/g)].map((m) => m[1]!).sort();
  const shape = contract.params instanceof z.ZodObject ? Object.keys(contract.params.shape).sort() : [];
  if (inPath.join() !== shape.join())
    throw new Error(`${contract.method} ${contract.path}: params must declare exactly ${inPath.join(', ') || 'none'}`);
  return contract;
}

type InputOf<S> = S extends z.ZodType ? z.input<S> : never;

/** The parsed body of any of a route's success answers. */
export type RouteResponse<C extends RouteContract> = {
  [K in keyof C['responses']]: z.output<C['responses'][K]>;
}[keyof C['responses']];

/** What a caller passes: `params`, `query` and `body` as the contract takes them (defaults may be left out). */
export type RouteInput<C extends RouteContract> = ([InputOf<C['params']>] extends [never]
  ? { params?: undefined }
  : { params: InputOf<C['params']> }) &
  ([InputOf<C['query']>] extends [never] ? { query?: undefined } : { query?: InputOf<C['query']> }) &
  ([InputOf<C['body']>] extends [never]
    ? { body?: C['rawBody'] extends string ? RawBytes : undefined }
    : { body: InputOf<C['body']> | (C['rawBody'] extends string ? RawBytes : never) });

/** Bytes sent as a raw body (a file the user picked, a zip built in memory). */
export type RawBytes = Uint8Array<ArrayBuffer> | Blob;

type QueryValue = string | number | boolean | null | undefined | readonly (string | number | boolean)[];

/** The URL of a call: the path with its parameters encoded, then the query string (absent values left out). */
export function routeUrl(contract: RouteContract, input: { params?: unknown; query?: unknown }): string {
  const params = (input.params ?? {}) as Record<string, string | number>;
  const path = contract.path.replace(/:([A-Za-z0-9_]+)/g, (_m, name: string) => {
    const value = params[name];
    if (value === undefined || value === '') throw new Error(`${contract.path}: the parameter ${name} is missing`);
    return encodeURIComponent(String(value));
  });
  const search = new URLSearchParams();
  for (const [name, value] of Object.entries((input.query ?? {}) as Record<string, QueryValue>)) {
    if (value === undefined || value === null) continue;
    for (const item of Array.isArray(value) ? value : [value]) search.append(name, String(item));
  }
  const query = search.toString();
  return query ? `${path}?${query}` : path;
}

/** What a client reads of an answer: its status and its parsed JSON body (undefined when it was not JSON). */
export interface RouteAnswer {
  status: number;
  body: unknown;
}

/** An answer that failed: an error status (with the server's `{error}` when it sent one) or an unexpected body. */
export type AnswerFailure =
  | { kind: 'error'; status: number; code: string; message: string; details?: unknown }
  | { kind: 'mismatch'; status: number; message: string; details: unknown };

/**
 * Reads an answer with the contract: a listed success status is parsed with its schema (so unlisted fields are
 * dropped and a wrong shape is caught here, not deep in a caller), anything else is a failure naming what happened.
 */
export function readAnswer<C extends RouteContract>(
  contract: C,
  answer: RouteAnswer,
): { ok: true; value: RouteResponse<C> } | { ok: false; failure: AnswerFailure } {
  const { status, body } = answer;
  const schema = contract.responses[status];
  const label = `${contract.method} ${contract.path}`;
  if (status >= 400 || !schema) {
    const error = ApiErrorBody.safeParse(body);
    if (error.success) return { ok: false, failure: { kind: 'error', status, ...error.data.error } };
    return {
      ok: false,
      failure: { kind: 'error', status, code: 'http_error', message: `${label} answered ${status}` },
    };
  }
  const parsed = schema.safeParse(body);
  if (parsed.success) return { ok: true, value: parsed.data as RouteResponse<C> };
  const problems = problemsFrom(parsed.error);
  return {
    ok: false,
    failure: {
      kind: 'mismatch',
      status,
      message: `${label} answered ${status} with a body this client does not understand: ${problems
        .slice(0, 3)
        .map((p) => p.message)
        .join('; ')}`,
      details: problems,
    },
  };
}
