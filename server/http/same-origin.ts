import type { FastifyInstance, FastifyRequest } from 'fastify';
import { HttpError } from './errors.ts';

const UNSAFE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** What the same-origin rule reads of a request. */
export interface ChangeRequest {
  method: string;
  /** The `Host` the request was sent to (X-Forwarded-Host behind a trusted proxy). */
  host: string;
  origin: string | undefined;
  secFetchSite: string | undefined;
}

/** Host and port, lowercased, without a default port (80 or 443: the scheme is not compared, see below). */
const comparable = (host: string) => host.toLowerCase().replace(/:(80|443)$/, '');

function hostOf(origin: string): string | undefined {
  try {
    return comparable(new URL(origin).host);
  } catch {
    return undefined;
  }
}

/**
 * Why a change must be refused as coming from another site, or undefined. Pure.
 *
 * Browsers send `Origin` with every POST, PUT, PATCH and DELETE, and `Sec-Fetch-Site` with every request, so a
 * request with neither comes from a non-browser client (curl, scripts), which no other site can drive. Only the
 * host is compared, not the scheme: behind a TLS-terminating proxy the server sees http while the browser says
 * https, and one host and port never serves both.
 */
export function crossSiteProblem(request: ChangeRequest): string | undefined {
  if (!UNSAFE_METHODS.has(request.method)) return undefined;
  const { origin, secFetchSite } = request;
  if (origin !== undefined) {
    if (hostOf(origin) !== comparable(request.host))
      return `This change came from ${origin === 'null' ? 'an opaque origin' : origin}, not from this site; it was refused.`;
  } else if (secFetchSite !== undefined) {
    return 'This change came from a browser without an Origin header; it was refused.';
  }
  if (secFetchSite !== undefined && secFetchSite !== 'same-origin')
    return `This change came from a ${secFetchSite} request (Sec-Fetch-Site), not from this site; it was refused.`;
  return undefined;
}

/** What the API rule reads of a request, whatever its method. */
export interface ApiRequest {
  /** The path and query asked for. */
  url: string;
  origin: string | undefined;
  secFetchSite: string | undefined;
}

const isApi = (url: string) => url === '/api' || url.startsWith('/api/') || url.startsWith('/api?');

/**
 * Why a request to `/api` must be refused whatever its method, or undefined. Pure.
 *
 * An isolated plugin frame has an opaque origin: browsers send `Origin: null` with its fetches (reads included) and
 * `Sec-Fetch-Site: cross-site`. Its cookie-less requests could still reach routes that need no session, and a
 * plugin's code must reach the server only through the host end of its bridge, so nothing of the API answers it.
 * No page of another site has any business reading the API either.
 */
export function apiFromFrameProblem(request: ApiRequest): string | undefined {
  if (!isApi(request.url)) return undefined;
  if (request.origin === 'null')
    return 'This API request came from an opaque origin (a sandboxed frame, such as an isolated plugin); plugin frames reach the server only through the app, so it was refused.';
  if (request.secFetchSite === 'cross-site')
    return 'This API request came from another site (Sec-Fetch-Site: cross-site); it was refused.';
  return undefined;
}

const header = (request: FastifyRequest, name: string): string | undefined => {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
};

/**
 * CSRF defence besides the SameSite cookie: every POST, PUT, PATCH and DELETE that `applies` to (those carrying
 * the session cookie, and sign-in itself) must come from this site's own pages, and no request to `/api` may come
 * from an opaque origin or another site (`apiFromFrameProblem`), or it is refused with 403 `cross_origin_refused`
 * before anything runs.
 */
export function registerSameOriginCheck(app: FastifyInstance, applies: (request: FastifyRequest) => boolean): void {
  app.addHook('onRequest', async (request) => {
    const origin = header(request, 'origin');
    const secFetchSite = header(request, 'sec-fetch-site');
    const change = UNSAFE_METHODS.has(request.method) && applies(request);
    const problem =
      (change && crossSiteProblem({ method: request.method, host: request.host, origin, secFetchSite })) ||
      apiFromFrameProblem({ url: request.url, origin, secFetchSite });
    if (problem) {
      request.log.warn({ origin: request.headers.origin, url: request.url }, 'cross-site request refused');
      throw new HttpError('cross_origin_refused', problem);
    }
  });
}
