import { HOST_CALL_PREFIX } from '../../shared/backend-http.schema.ts';
import { CallFailure } from './failures.ts';
import { identityHeaders, sign, type SignedFacts } from './signature.ts';

/** A call the proxy forwards to an independently deployed backend. */
export interface HttpBackendCall {
  baseUrl: string;
  key: string;
  timeoutMs: number;
  maxBodyBytes: number;
  method: string;
  /** The path below `/api/ext/<plugin>` with its query string, like `/notes?model=a`. */
  pathAndQuery: string;
  headers: Record<string, string>;
  body: Buffer | undefined;
  identity: Omit<SignedFacts, 'timestamp' | 'method' | 'path' | 'body'>;
}

export interface HttpBackendAnswer {
  status: number;
  headers: Record<string, string>;
  body: Buffer;
}

async function readCapped(response: Response, max: number): Promise<Buffer> {
  const declared = Number(response.headers.get('content-length') ?? NaN);
  if (declared > max) {
    await response.body?.cancel();
    throw new CallFailure(
      'too_large',
      `the backend answered ${(declared / 1048576).toFixed(1)} MB; at most ${max / 1048576} MB`,
    );
  }
  const chunks: Uint8Array[] = [];
  let total = 0;
  const reader = response.body?.getReader();
  if (!reader) return Buffer.alloc(0);
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > max) {
      await reader.cancel();
      throw new CallFailure('too_large', `the backend answered more than ${max / 1048576} MB`);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks);
}

const baseOf = (baseUrl: string) => new URL(baseUrl.endsWith('/') ? baseUrl : `${baseUrl}/`);

/** Where a call to `pathAndQuery` goes: below the backend's base URL (`/notes?x=1` on `http://h/base`). */
export function backendUrl(baseUrl: string, pathAndQuery: string): URL {
  return new URL(pathAndQuery.replace(/^\/+/, ''), baseOf(baseUrl));
}

/**
 * Whether a user's call to `pathAndQuery` must not be forwarded: it would land outside the backend's base URL
 * (`..` segments, another origin) or on the paths only the server calls (`/_workbench/...`, however encoded).
 */
export function forbiddenForUsers(baseUrl: string, pathAndQuery: string): boolean {
  let url: URL;
  try {
    url = backendUrl(baseUrl, pathAndQuery);
  } catch {
    return true;
  }
  const base = baseOf(baseUrl);
  if (url.origin !== base.origin || !url.pathname.startsWith(base.pathname)) return true;
  let rest: string;
  try {
    rest = decodeURIComponent(url.pathname.slice(base.pathname.length));
  } catch {
    return true;
  }
  const reserved = HOST_CALL_PREFIX.slice(1).toLowerCase();
  const first = rest.replace(/^\/+/, '').split('/')[0]!.toLowerCase();
  return first === reserved;
}

/**
 * Forwards one call with signed identity headers (see signature.ts), a deadline and a cap on the answer's size.
 * Redirects are returned, never followed.
 */
export async function callHttpBackend(call: HttpBackendCall): Promise<HttpBackendAnswer> {
  const url = backendUrl(call.baseUrl, call.pathAndQuery);
  const timestamp = String(Date.now());
  const body = call.body ?? Buffer.alloc(0);
  const facts: SignedFacts = {
    ...call.identity,
    timestamp,
    method: call.method,
    path: `${url.pathname}${url.search}`,
    body,
  };
  const headers: Record<string, string> = {
    ...call.headers,
    [identityHeaders.plugin]: call.identity.plugin,
    [identityHeaders.userId]: call.identity.userId,
    [identityHeaders.username]: call.identity.username,
    [identityHeaders.workspace]: call.identity.workspace,
    [identityHeaders.role]: call.identity.role,
    [identityHeaders.timestamp]: timestamp,
    [identityHeaders.signature]: sign(call.key, facts),
  };
  const signal = AbortSignal.timeout(call.timeoutMs);
  let response: Response;
  try {
    response = await fetch(url, {
      method: call.method,
      headers,
      redirect: 'manual',
      signal,
      ...(call.body && call.method !== 'GET' ? { body: new Uint8Array(call.body) } : {}),
    });
    const answer = await readCapped(response, call.maxBodyBytes);
    return { status: response.status, headers: Object.fromEntries(response.headers), body: answer };
  } catch (error) {
    if (error instanceof CallFailure) throw error;
    if (signal.aborted) throw new CallFailure('timeout', `the backend did not answer within ${call.timeoutMs} ms`);
    const cause = (error as { cause?: { code?: string } }).cause?.code;
    throw new CallFailure('unavailable', `the backend at ${url.origin} cannot be reached${cause ? ` (${cause})` : ''}`);
  }
}
