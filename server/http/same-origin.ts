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

const header = (request: FastifyRequest, name: string): string | undefined => {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
};

/**
 * CSRF defence besides the SameSite cookie: every POST, PUT, PATCH and DELETE that `applies` to (those carrying
 * the session cookie, and sign-in itself) must come from this site's own pages, or it is refused with 403
 * `cross_origin_refused` before anything runs.
 */
export function registerSameOriginCheck(app: FastifyInstance, applies: (request: FastifyRequest) => boolean): void {
  app.addHook('onRequest', async (request) => {
    if (!UNSAFE_METHODS.has(request.method) || !applies(request)) return;
    const problem = crossSiteProblem({
      method: request.method,
      host: request.host,
      origin: header(request, 'origin'),
      secFetchSite: header(request, 'sec-fetch-site'),
    });
    if (problem) {
      request.log.warn({ origin: request.headers.origin, url: request.url }, 'cross-site change refused');
      throw new HttpError('cross_origin_refused', problem);
    }
  });
}
