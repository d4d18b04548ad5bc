import type {
  FastifyInstance,
  FastifyReply,
  FastifyRequest,
  FastifySchema,
  FastifySchemaCompiler,
  FastifySerializerCompiler,
  RouteShorthandOptions,
  preHandlerAsyncHookHandler,
} from 'fastify';
import { gzipSync } from 'node:zlib';
import { serializerCompiler } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { RouteContract, RouteResponse } from '@dbt-workbench/plugin-sdk/contracts/http';
import { validate } from '@dbt-workbench/plugin-sdk/contracts/validation';
import { HttpError } from './errors.ts';

type OutputOf<S> = S extends z.ZodType ? z.output<S> : unknown;

/** The request a contract's handler gets: params, query and body already parsed with the contract's schemas. */
export type ContractRequest<C extends RouteContract> = FastifyRequest<{
  Params: OutputOf<C['params']>;
  Querystring: OutputOf<C['query']>;
  Body: OutputOf<C['body']> | (C['rawBody'] extends string ? Buffer : never);
}>;

declare const sent: unique symbol;
/** A reply already sent with `sendEncoded` or `sendNotModified`: a handler may return it instead of a body. */
export type Sent = FastifyReply & { readonly [sent]: true };

/** A handler answers one of the contract's success bodies (set a status other than the first with `reply.status`). */
export type ContractHandler<C extends RouteContract> = (
  request: ContractRequest<C>,
  reply: FastifyReply,
) => Promise<RouteResponse<C> | Sent> | RouteResponse<C> | Sent;

/** An answer encoded once ahead (for a cache) through its contract's schema, as the serializer would. */
export interface EncodedAnswer<C extends RouteContract> {
  readonly contract: C;
  readonly bytes: Buffer;
  /** The bytes gzipped, made on the first answer to a client that accepts gzip and kept with them. */
  gzipped?: Buffer;
}

/** Encodes `value` with the schema of the contract's `status` answer; a wrong shape throws (a 500 when answered). */
export function encodeAnswer<C extends RouteContract, S extends keyof C['responses'] & number>(
  contract: C,
  status: S,
  value: z.output<C['responses'][S]>,
): EncodedAnswer<C> {
  const schema = contract.responses[status]!;
  return { contract, bytes: Buffer.from(JSON.stringify(z.encode(schema, value))) };
}

/** Whether an `Accept-Encoding` header accepts gzip (`gzip` or `*`, without `q=0`). Pure. */
export function acceptsGzip(acceptEncoding: string | undefined): boolean {
  return (acceptEncoding ?? '').split(',').some((part) => {
    const [coding, ...parameters] = part.trim().toLowerCase().split(';');
    const refused = parameters.some((p) => /^\s*q\s*=\s*0(\.0*)?\s*$/.test(p));
    return (coding === 'gzip' || coding === '*') && !refused;
  });
}

/**
 * Sends an answer encoded ahead by `encodeAnswer`, as JSON; gzipped (once per answer) when the request accepts it,
 * as browsers do. A gzipped answer's entity tag becomes weak: the two codings are not byte-identical.
 */
export function sendEncoded<C extends RouteContract>(
  reply: FastifyReply,
  answer: EncodedAnswer<C>,
  acceptEncoding?: string,
): Sent {
  reply.type('application/json; charset=utf-8').header('vary', 'accept-encoding');
  if (!acceptsGzip(acceptEncoding)) return reply.send(answer.bytes) as Sent;
  answer.gzipped ??= gzipSync(answer.bytes);
  const etag = reply.getHeader('etag');
  if (typeof etag === 'string' && !etag.startsWith('W/')) reply.header('etag', `W/${etag}`);
  return reply.header('content-encoding', 'gzip').send(answer.gzipped) as Sent;
}

/** Sends `304 Not Modified` with no body. */
export function sendNotModified(reply: FastifyReply): Sent {
  return reply.code(304).send() as Sent;
}

/** Route options besides the contract: `guards` run before validation, so a caller without rights learns nothing. */
export interface ContractRouteOptions {
  guards?: preHandlerAsyncHookHandler[];
  bodyLimit?: number;
  config?: RouteShorthandOptions['config'];
}

const partNames: Record<string, string> = { body: 'request body', querystring: 'query', params: 'URL parameters' };

/**
 * Validates a request part with our field-by-field problems, in the words `parseBody` always used. A raw body (a
 * Buffer from the route's own content-type parser) is the handler's to read.
 */
const validatorFor =
  (contract: RouteContract): FastifySchemaCompiler<FastifySchema> =>
  ({ schema, httpPart }) =>
  (data) => {
    if (httpPart === 'body' && contract.rawBody !== undefined && Buffer.isBuffer(data)) return { value: data };
    const result = validate(schema as z.ZodType, data ?? {});
    if (result.ok) return { value: result.value };
    const what = partNames[httpPart ?? ''] ?? httpPart ?? 'request';
    return {
      error: new HttpError(
        'bad_request',
        `Invalid ${what}: ${result.problems.map((p) => p.message).join('; ')}`,
        result.problems,
      ),
    };
  };

// Keyed by the HTTP server, which every encapsulated context of one app shares.
const contractsOfServer = new WeakMap<object, Map<string, RouteContract>>();

/** The routes of an app registered from contracts, by `METHOD /path`, for the check that none lacks one. */
export function contractRoutes(app: FastifyInstance): ReadonlyMap<string, RouteContract> {
  return contractsOfServer.get(app.server) ?? new Map();
}

/**
 * Registers a route from its contract: the request is validated with its schemas (a 400 naming each wrong field),
 * and the answer is serialized through the response schema of its status, so unlisted fields never leave and a
 * body of the wrong shape is a logged 500.
 */
export function contractRoute<C extends RouteContract>(
  app: FastifyInstance,
  contract: C,
  options: ContractRouteOptions,
  handler: ContractHandler<C>,
): void {
  let contracts = contractsOfServer.get(app.server);
  if (!contracts) contractsOfServer.set(app.server, (contracts = new Map()));
  contracts.set(`${contract.method} ${contract.path}`, contract);
  app.route({
    method: contract.method,
    url: contract.path,
    schema: {
      ...(contract.params ? { params: contract.params } : {}),
      ...(contract.query ? { querystring: contract.query } : {}),
      ...(contract.body ? { body: contract.body } : {}),
      response: contract.responses,
    },
    validatorCompiler: validatorFor(contract),
    // The library's compiler reads zod schemas; Fastify types route schemas as JSON Schema.
    serializerCompiler: serializerCompiler as FastifySerializerCompiler<FastifySchema>,
    ...(options.guards ? { preValidation: options.guards } : {}),
    ...(options.bodyLimit ? { bodyLimit: options.bodyLimit } : {}),
    ...(options.config ? { config: options.config } : {}),
    handler: handler as (request: FastifyRequest, reply: FastifyReply) => Promise<unknown>,
  });
}
