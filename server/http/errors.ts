import type { Socket } from 'node:net';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyServerOptions } from 'fastify';
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

/** The body of every error answer. */
export function errorBody(code: string, message: string, details?: unknown): ApiErrorBody {
  return { error: details === undefined ? { code, message } : { code, message, details } };
}

/** Our code for a status the framework (Fastify, its plugins, Node's HTTP parser) answers with. */
const codeOfStatus: Record<number, ErrorCode> = {
  400: 'bad_request',
  401: 'unauthorized',
  403: 'forbidden',
  404: 'not_found',
  408: 'request_timeout',
  409: 'conflict',
  413: 'payload_too_large',
  414: 'uri_too_long',
  415: 'unsupported_media_type',
  431: 'request_header_too_large',
  503: 'service_unavailable',
};

/** Plain words for the framework's own errors, whose messages name internals (`FST_ERR_CTP_BODY_TOO_LARGE`). */
const messageOfFastifyCode: Record<string, (error: FastifyError, contentType: string) => string> = {
  FST_ERR_CTP_BODY_TOO_LARGE: () => 'The request body is larger than this route accepts.',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: (_e, contentType) => `This route does not read "${contentType}" bodies.`,
  FST_ERR_CTP_INVALID_JSON_BODY: () => 'The request body is not valid JSON.',
  FST_ERR_CTP_EMPTY_JSON_BODY: () =>
    "The request says its body is JSON ('content-type: application/json') but it is empty.",
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: () => 'The content-length header does not match the body received.',
  FST_ERR_BAD_URL: (e) => `The URL is not valid: ${e.message}.`,
  FST_ERR_MAX_PARAM_LENGTH: () => 'A part of the URL is longer than the server accepts (100 characters).',
};

/** The `{error}` answer for any error thrown while handling a request, or raised by the framework before it. */
function answerOf(
  error: FastifyError | HttpError,
  contentType = '',
): { status: number; body: ApiErrorBody } | undefined {
  if (error instanceof HttpError)
    return { status: error.status, body: errorBody(error.code, error.message, error.details) };
  if (error.validation) return { status: 400, body: errorBody('bad_request', error.message, error.validation) };
  const status = error.statusCode;
  if (!status || status < 400 || (status >= 500 && status !== 503)) return undefined;
  const code = codeOfStatus[status] ?? 'bad_request';
  const message = (error.code && messageOfFastifyCode[error.code]?.(error, contentType)) || error.message;
  return { status: codeOfStatus[status] ? status : 400, body: errorBody(code, message) };
}

/**
 * Makes every error and every unknown route answer in the API's JSON error shape, the framework's own included:
 * use `frameworkOptions` when creating the Fastify instance, then call this on it.
 */
export function registerErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError | HttpError, request, reply) => {
    const answer = answerOf(error, request.headers['content-type']);
    if (answer) return reply.status(answer.status).send(answer.body);
    request.log.error({ err: error }, 'request failed');
    return reply
      .status(500)
      .send(errorBody('internal_error', 'The server failed to handle this request; see its log.'));
  });
  // Fastify's own 503 while closing has its own shape; answer it ourselves.
  let closing = false;
  app.addHook('preClose', async () => {
    closing = true;
  });
  app.addHook('onRequest', async (_request, reply) => {
    if (!closing) return;
    reply.header('connection', 'close');
    throw new HttpError('service_unavailable', 'The server is shutting down; retry in a moment.');
  });
}

/** The JSON 404 for a route nobody serves. */
export function sendNotFound(url: string, reply: FastifyReply): void {
  reply.status(404).send(errorBody('not_found', `Nothing is served at ${url}`));
}

/** Headers of the answers sent before any hook runs (the others get helmet's security headers). */
const bareErrorHeaders = {
  'Content-Type': 'application/json; charset=utf-8',
  'X-Content-Type-Options': 'nosniff',
  'Content-Security-Policy': "default-src 'none'; frame-ancestors 'none'",
};

/** Answered for an HTTP request Node could not parse; Fastify writes it to the socket as is. */
function rawAnswer(status: number, code: ErrorCode, message: string): string {
  const body = JSON.stringify(errorBody(code, message));
  const reason = { 400: 'Bad Request', 408: 'Request Timeout', 431: 'Request Header Fields Too Large' }[status];
  const headers = { ...bareErrorHeaders, 'Content-Length': Buffer.byteLength(body), Connection: 'close' };
  const lines = Object.entries(headers).map(([name, value]) => `${name}: ${value}\r\n`);
  return `HTTP/1.1 ${status} ${reason}\r\n${lines.join('')}\r\n${body}`;
}

/**
 * Fastify options that route the errors it raises before any route or hook runs (bad URLs, over-long URL parts,
 * unparseable HTTP, requests during shutdown) into the API's JSON error shape.
 */
export const frameworkOptions: Pick<
  FastifyServerOptions,
  'return503OnClosing' | 'frameworkErrors' | 'clientErrorHandler'
> = {
  return503OnClosing: false,
  frameworkErrors(error, _request, reply) {
    const answer = answerOf(error) ?? { status: 400, body: errorBody('bad_request', error.message) };
    (reply as FastifyReply).status(answer.status).headers(bareErrorHeaders).send(answer.body);
  },
  clientErrorHandler(error, socket: Socket) {
    if (error.code === 'ECONNRESET' || socket.destroyed) return;
    const answer =
      error.code === 'ERR_HTTP_REQUEST_TIMEOUT'
        ? rawAnswer(408, 'request_timeout', 'The request was not received in time.')
        : error.code === 'HPE_HEADER_OVERFLOW'
          ? rawAnswer(431, 'request_header_too_large', 'The request headers are larger than the server accepts.')
          : rawAnswer(400, 'bad_request', 'The request is not valid HTTP.');
    if (socket.writable) socket.write(answer);
    socket.destroy(error);
  },
};
