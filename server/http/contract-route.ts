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
import { serializerCompiler } from 'fastify-type-provider-zod';
import type { z } from 'zod';
import type { RouteContract, RouteResponse } from '@dbt-workbench/plugin-sdk/contracts/http';
import { validate } from '@dbt-workbench/plugin-sdk/contracts/validation';
import { HttpError } from './errors.ts';

type OutputOf<S> = S extends z.ZodType ? z.output<S> : unknown;

/** The request a contract's handler gets: params, query and body already parsed with the contract's schemas. */
export type ContractRequest<C extends RouteContract> = FastifyRequest<{
  Params: OutputOf<C['params']>;
  Querystring: OutputOf<C['query']>;
  Body: OutputOf<C['body']>;
}>;

/** A handler answers one of the contract's success bodies (set a status other than the first with `reply.status`). */
export type ContractHandler<C extends RouteContract> = (
  request: ContractRequest<C>,
  reply: FastifyReply,
) => Promise<RouteResponse<C>> | RouteResponse<C>;

/** Route options besides the contract: `guards` run before validation, so a caller without rights learns nothing. */
export interface ContractRouteOptions {
  guards?: preHandlerAsyncHookHandler[];
  bodyLimit?: number;
  config?: RouteShorthandOptions['config'];
}

const partNames: Record<string, string> = { body: 'request body', querystring: 'query', params: 'URL parameters' };

/** Validates a request part with our field-by-field problems, in the words `parseBody` always used. */
const validatorCompiler: FastifySchemaCompiler<FastifySchema> =
  ({ schema, httpPart }) =>
  (data) => {
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
  app.route({
    method: contract.method,
    url: contract.path,
    schema: {
      ...(contract.params ? { params: contract.params } : {}),
      ...(contract.query ? { querystring: contract.query } : {}),
      ...(contract.body ? { body: contract.body } : {}),
      response: contract.responses,
    },
    validatorCompiler,
    // The library's compiler reads zod schemas; Fastify types route schemas as JSON Schema.
    serializerCompiler: serializerCompiler as FastifySerializerCompiler<FastifySchema>,
    ...(options.guards ? { preValidation: options.guards } : {}),
    ...(options.bodyLimit ? { bodyLimit: options.bodyLimit } : {}),
    ...(options.config ? { config: options.config } : {}),
    handler: handler as (request: FastifyRequest, reply: FastifyReply) => Promise<unknown>,
  });
}
