import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { HttpError } from '../../http/errors.ts';
import type { PluginRegistry } from '../registry.ts';
import { frameAncestors, frameCsp, remoteBase } from './csp.ts';

export interface FrameRouteDeps {
  registry: PluginRegistry;
  /** The built isolation runtime (ISOLATION_DIST_DIR): its `index.html` is every frame's document. */
  isolationDirectory: string;
}

const originOf = (request: FastifyRequest) => `${request.protocol}://${request.host}`;

/**
 * The documents of isolated plugin frames, and the isolation runtime they load.
 *
 * `GET /plugin-frames/<name>/<revision>/`: the runtime's HTML under a CSP scoped to that plugin revision
 * (`frameCsp`), for an active plugin with a frontend at its current revision only (404 otherwise; 503 while the
 * runtime is not built). No session is needed: it is code, no data, and a sandboxed frame sends no cookie.
 * `GET /isolation/*`: the runtime's files, readable from the frames' opaque origin; its content-hashed `assets/`
 * are cached for good.
 */
export function registerPluginFrameRoutes(app: FastifyInstance, deps: FrameRouteDeps): void {
  const { registry, isolationDirectory } = deps;

  app.get<{ Params: { name: string; revision: string } }>(
    '/plugin-frames/:name/:revision/',
    // The frame's own CSP replaces the app's; frame-ancestors 'self' replaces X-Frame-Options: DENY. An opaque
    // origin cannot be origin-keyed, so Origin-Agent-Cluster would only earn a console warning per frame.
    { helmet: { contentSecurityPolicy: false, frameguard: false, originAgentCluster: false } },
    async (request, reply) => {
      const { name, revision } = request.params;
      const plugin = registry.get(name);
      if (!plugin || plugin.state !== 'active')
        throw new HttpError('not_found', `Plugin "${name}" is not active: it has no frame`);
      if (plugin.revision !== revision)
        throw new HttpError(
          'not_found',
          `Revision ${revision} of plugin "${name}" is not served; the current one is ${plugin.revision}`,
        );
      const origin = originOf(request);
      const base = remoteBase(plugin, origin);
      if (!base) throw new HttpError('not_found', `Plugin "${name}" has no frontend: it has no frame`);
      let html: string;
      try {
        html = await readFile(path.join(isolationDirectory, 'index.html'), 'utf8');
      } catch {
        throw new HttpError(
          'frames_unavailable',
          `The isolation runtime is not built (no index.html in ${path.basename(isolationDirectory)}/; run npm run build), so isolated plugin frames cannot be served`,
        );
      }
      return reply
        .header(
          'content-security-policy',
          frameCsp({
            origin,
            plugin: name,
            revision,
            remoteBase: base,
            ancestors: frameAncestors(request.protocol, request.host),
          }),
        )
        .header('cache-control', 'no-store')
        .type('text/html; charset=utf-8')
        .send(html);
    },
  );

  app.get<{ Params: { '*': string } }>(
    '/isolation/*',
    { helmet: { crossOriginResourcePolicy: { policy: 'cross-origin' } } },
    async (request, reply) => {
      const file = request.params['*'];
      reply.header('access-control-allow-origin', '*');
      reply.header('x-content-type-options', 'nosniff');
      reply.header('cache-control', file.startsWith('assets/') ? 'public, max-age=31536000, immutable' : 'no-cache');
      return reply.sendFile(file, isolationDirectory, { cacheControl: false, dotfiles: 'deny' });
    },
  );
}
