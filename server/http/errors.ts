import type { FastifyError, FastifyInstance } from 'fastify';
import { errorCodes, type ApiErrorBody, type ErrorCode } from '../../shared/errors.ts';

/** An error that becomes a JSON response `{error: {code, message, details?}}` with the code's status. */
export class HttpError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly details: unknown;

  constructor(code: ErrorCode, message: string, details?: unknown) {
    super(message);
    this.code = code;
    this.status = errorCodes[code].status;
    this.details = details;
  }
}

function body(code: string, message: string, details?: unknown): ApiErrorBody {
  return { error: details === undefined ? { code, message } : { code, message, details } };
}

/** Makes every error and every unknown route answer in the API's JSON error shape. */
export function registerErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError | HttpError, request, reply) => {
    if (error instanceof HttpError) {
      return reply.status(error.status).send(body(error.code, error.message, error.details));
    }
    if (error.validation) {
      return reply.status(400).send(body('bad_request', error.message, error.validation));
    }
    if (error.statusCode && error.statusCode >= 400 && error.statusCode < 500) {
      const code =
        { 401: 'unauthorized', 403: 'forbidden', 404: 'not_found', 409: 'conflict' }[error.statusCode] ?? 'bad_request';
      return reply.status(error.statusCode).send(body(code, error.message));
    }
    request.log.error({ err: error }, 'request failed');
    return reply.status(500).send(body('internal_error', 'The server failed to handle this request; see its log.'));
  });
}

/** The JSON 404 for a route nobody serves. */
export function sendNotFound(url: string, reply: import('fastify').FastifyReply): void {
  reply.status(404).send(body('not_found', `Nothing is served at ${url}`));
}
