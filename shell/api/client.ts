import {
  readAnswer,
  routeUrl,
  type RouteContract,
  type RouteInput,
  type RawBytes,
  type RouteResponse,
} from '@dbt-workbench/plugin-sdk/contracts/http';
import { ApiErrorBody } from '../../shared/errors.ts';

/** An API call that failed, carrying the server's error code when it sent one. */
export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  /** The error's `details` as the server sent them (their shape depends on the code). */
  readonly details: unknown;

  constructor(status: number, code: string, message: string, details?: unknown) {
    super(message);
    this.status = status;
    this.code = code;
    this.details = details;
  }
}

/** GETs (or sends) JSON from the server's API and throws an `ApiError` with the server's message on failure. */
export async function fetchJson<T>(url: string, init?: RequestInit): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (init?.body !== undefined) headers['content-type'] = 'application/json';
  const response = await fetch(url, {
    ...init,
    headers: { ...headers, ...(init?.headers as Record<string, string> | undefined) },
  });
  const body: unknown = await response.json().catch(() => undefined);
  if (!response.ok) {
    const parsed = ApiErrorBody.safeParse(body);
    if (parsed.success) {
      const { code, message, details } = parsed.data.error;
      throw new ApiError(response.status, code, message, details);
    }
    throw new ApiError(response.status, 'http_error', `${url} answered ${response.status} ${response.statusText}`);
  }
  return body as T;
}

/**
 * Calls a route of the API by its contract and answers its parsed body, typed from the contract's schemas; an error
 * answer throws an `ApiError` with the server's code and message, a body of the wrong shape one coded
 * `response_invalid`. `signal` cancels the call.
 * @example const { users } = await callApi(listUsers, {});
 */
export async function callApi<C extends RouteContract>(
  contract: C,
  input: RouteInput<C>,
  options: {
    signal?: AbortSignal;
    /** Extra request headers (a plugin token). */
    headers?: Record<string, string>;
    /** Sends the call to another URL answering the same contract (the host data proxy of plugin frontends). */
    via?: (url: string) => string;
  } = {},
): Promise<RouteResponse<C>> {
  const direct = routeUrl(contract, input);
  const url = options.via ? options.via(direct) : direct;
  const body = (input as { body?: unknown }).body;
  const sent =
    body === undefined
      ? {}
      : contract.rawBody !== undefined && (body instanceof Uint8Array || body instanceof Blob)
        ? { type: contract.rawBody, body: body as RawBytes }
        : { type: 'application/json', body: JSON.stringify(body) };
  const response = await fetch(url, {
    method: contract.method,
    headers: {
      accept: 'application/json',
      ...(sent.type ? { 'content-type': sent.type } : {}),
      ...options.headers,
    },
    ...(sent.body === undefined ? {} : { body: sent.body }),
    ...(options.signal ? { signal: options.signal } : {}),
  });
  const json: unknown = await response.json().catch(() => undefined);
  const answer = readAnswer(contract, { status: response.status, body: json });
  if (answer.ok) return answer.value;
  const { failure } = answer;
  if (failure.kind === 'mismatch')
    throw new ApiError(failure.status, 'response_invalid', failure.message, failure.details);
  throw new ApiError(failure.status, failure.code, failure.message, failure.details);
}
