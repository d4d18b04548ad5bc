import type { IncomingHttpHeaders } from 'node:http';
import type { WireAnswer } from '@dbt-workbench/plugin-sdk/contracts/sandbox.schema';
import { HttpError } from '../http/errors.ts';
import { CallFailure } from './failures.ts';

/** Request headers a plugin sees; cookies and authorization never reach it. */
const REQUEST_HEADERS = ['content-type', 'accept', 'accept-language'];
/** Response headers a plugin may set. */
const RESPONSE_HEADERS = ['content-type', 'cache-control', 'etag', 'last-modified', 'content-disposition'];

export function pickRequestHeaders(headers: IncomingHttpHeaders): Record<string, string> {
  const picked: Record<string, string> = {};
  for (const name of REQUEST_HEADERS) {
    const value = headers[name];
    if (typeof value === 'string') picked[name] = value;
  }
  return picked;
}

export function passedHeaders(headers: Record<string, string>): Record<string, string> {
  const passed: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (RESPONSE_HEADERS.includes(name.toLowerCase()) && !/[\r\n]/.test(value)) passed[name.toLowerCase()] = value;
  }
  return passed;
}

/** What the proxy sends back. */
export interface ProxyAnswer {
  status: number;
  headers: Record<string, string>;
  body: string | Buffer;
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Why a route's answer (as the child sends it, a `WireAnswer`) is malformed, or undefined when it is fine. */
function wireProblem(v: unknown): string | undefined {
  if (!isRecord(v)) return 'the answer is not an object';
  if (
    v.status !== undefined &&
    !(Number.isInteger(v.status) && (v.status as number) >= 200 && (v.status as number) <= 599)
  )
    return 'status must be a whole number from 200 to 599';
  if (v.headers !== undefined && !(isRecord(v.headers) && Object.values(v.headers).every((h) => typeof h === 'string')))
    return 'headers must map names to strings';
  if (v.text !== undefined && typeof v.text !== 'string') return 'the body did not cross as text';
  return undefined;
}

/** Checks a route handler's answer and turns it into a response; a malformed one is the plugin's failure (502). */
export function answerFromPlugin(value: unknown): ProxyAnswer {
  const problem = wireProblem(value);
  if (problem)
    throw new CallFailure('failed', `the route answered something that is not {status?, headers?, body?}: ${problem}`);
  const answer = value as WireAnswer;
  const headers = passedHeaders(answer.headers ?? {});
  const status = answer.status ?? (answer.text === undefined ? 204 : 200);
  if (answer.text === undefined) return { status, headers, body: '' };
  const type = answer.json ? 'application/json; charset=utf-8' : 'text/plain; charset=utf-8';
  return { status, headers: { 'content-type': type, ...headers }, body: answer.text };
}

/** The HTTP error for a failed call into a plugin backend, naming the plugin and the cause. */
export function failureToHttp(plugin: string, error: unknown): HttpError {
  const failure = error instanceof CallFailure ? error : new CallFailure('failed', String(error));
  switch (failure.kind) {
    case 'timeout':
      return new HttpError('plugin_timeout', `Plugin ${plugin} did not answer in time: ${failure.message}`);
    case 'unavailable':
      return new HttpError('plugin_unavailable', `Plugin ${plugin}'s backend is not running: ${failure.message}`);
    case 'too_large':
      return new HttpError('plugin_error', `Plugin ${plugin}'s answer is too large: ${failure.message}`);
    case 'crashed':
      return new HttpError('plugin_error', `Plugin ${plugin}'s backend stopped during the call: ${failure.message}`);
    case 'denied':
      return new HttpError('plugin_error', `Plugin ${plugin}'s sandbox refused what it tried: ${failure.message}`);
    default:
      return new HttpError('plugin_error', `Plugin ${plugin}'s route failed: ${failure.message}`);
  }
}
