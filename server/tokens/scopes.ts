import type { TokenScope } from '../../shared/api-tokens.schema.ts';

/** One route a scope opens: `METHOD /pattern` as Fastify registers it, and whether its body must be a zip upload. */
interface ScopedRoute {
  route: string;
  zipOnly?: true;
}

/**
 * The routes each scope opens, and nothing else. `plugins:deploy` installs and updates from an uploaded package
 * only: a path on the server's disk, a git URL or the marketplace are for admins at the console.
 */
export const scopeRoutes: Record<TokenScope, readonly ScopedRoute[]> = {
  'plugins:deploy': [
    { route: 'POST /api/plugins/install', zipOnly: true },
    { route: 'POST /api/plugins/:name/update', zipOnly: true },
    { route: 'GET /api/plugins/:name' },
  ],
  // Streamable HTTP: POST carries requests, GET the stream of notifications, DELETE ends a session.
  'plugins:dev': [
    { route: 'PUT /api/plugins/:name/dev-session' },
    { route: 'POST /api/plugins/:name/dev-session/builds' },
    { route: 'PUT /api/plugins/:name/dev-session/backend' },
    { route: 'POST /api/plugins/:name/dev-session/heartbeat' },
    { route: 'DELETE /api/plugins/:name/dev-session' },
  ],
  mcp: [{ route: 'POST /mcp/:workspace' }, { route: 'GET /mcp/:workspace' }, { route: 'DELETE /mcp/:workspace' }],
};

/** What the scope rule reads of a request. */
export interface ScopedRequest {
  method: string;
  /** The matched route's pattern; undefined when no route matched. */
  pattern: string | undefined;
  contentType: string | undefined;
}

const ZIP_TYPES = ['application/zip', 'application/x-zip-compressed', 'application/octet-stream'];

/** Why a token with `scopes` may not make this request, or undefined when it may. Pure. */
export function scopeProblem(scopes: readonly TokenScope[], request: ScopedRequest): string | undefined {
  // Fastify answers HEAD with the GET route's handler.
  const method = request.method === 'HEAD' ? 'GET' : request.method;
  const route = `${method} ${request.pattern ?? request.method}`;
  const opened = scopes.flatMap((scope) => scopeRoutes[scope]);
  const match = opened.find((r) => r.route === route);
  if (!match) {
    const named = request.pattern ? `${request.method} ${request.pattern}` : 'this route';
    return `This API token (scopes: ${scopes.join(', ')}) may not call ${named}; it may call only ${opened.map((r) => r.route).join(', ')}`;
  }
  const type = (request.contentType ?? '').split(';')[0]!.trim().toLowerCase();
  if (match.zipOnly && !ZIP_TYPES.includes(type)) {
    return `With an API token, ${match.route} takes an uploaded package only (content-type: application/zip), not ${type || 'a body without a content type'}`;
  }
  return undefined;
}
