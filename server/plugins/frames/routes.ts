import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { HttpError } from '../../http/errors.ts';
import { withDevBuild, type DevSessions } from '../dev-sessions/dev-sessions.ts';
import type { PluginRegistry, RegisteredPlugin } from '../registry.ts';
import { frameAncestors, frameCsp, remoteBase } from './csp.ts';

export interface FrameRouteDeps {
  registry: PluginRegistry;
  /** The built isolation runtime (ISOLATION_DIST_DIR): its `index.html` is every frame's document. */
  isolationDirectory: string;
  /** Developers' dev builds: a frame at a dev session's revision serves that build. */
  devSessions?: DevSessions;
}

/**
 * The plugin as a frame at `revision` serves it: its approved build at its current revision, or a dev session's build
 * at that session's current (unguessable) revision. The frame carries no session, so the revision alone says which;
 * what the frame then runs is still chosen by the page that frames it, from its user's own extensions.
 */
function servedAt(plugin: RegisteredPlugin, revision: string, devSessions?: DevSessions) {
  if (plugin.revision === revision) return plugin;
  const session = devSessions?.atRevision(plugin.name, revision);
  if (session) return withDevBuild(plugin, session);
  throw new HttpError(
    'not_found',
    `Revision ${revision} of plugin "${plugin.name}" is not served; the current one is ${plugin.revision}`,
  );
}

const originOf = (request: FastifyRequest) => `${request.protocol}://${request.host}`;

/**
 * The documents of isolated plugin frames, and the isolation runtime they load.
 *
 * `GET /plugin-frames/<name>/<revision>/`: the runtime's HTML under a CSP scoped to that plugin revision
 * (`frameCsp`), for an active plugin with a frontend at its current revision, or at a dev session's (`servedAt`),
 * only (404 otherwise; 503 while the runtime is not built). No session is needed: it is code, no data, and a sandboxed frame sends no cookie.
 * `GET /isolation/*`: the runtime's files, readable from the frames' opaque origin; its content-hashed `assets/`
 * are cached for good.
 */
export function registerPluginFrameRoutes(app: FastifyInstance, deps: FrameRouteDeps): void {
  const { registry, isolationDirectory, devSessions } = deps;

  app.get<{ Params: { name: string; revision: string } }>(
    '/plugin-frames/:name/:revision/',
    // The frame's own CSP replaces the app's; frame-ancestors 'self' replaces X-Frame-Options: DENY. An opaque
    // origin cannot be origin-keyed, so Origin-Agent-Cluster would only earn a console warning per frame.
    { helmet: { contentSecurityPolicy: false, frameguard: false, originAgentCluster: false } },
    async (request, reply) => {
      const { name, revision } = request.params;
      const active = registry.get(name);
      if (!active || active.state !== 'active')
        throw new HttpError('not_found', `Plugin "${name}" is not active: it has no frame`);
      const plugin = servedAt(active, revision, devSessions);
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
