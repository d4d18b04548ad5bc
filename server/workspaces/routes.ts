import type { FastifyInstance } from 'fastify';
import { currentUser, currentWorkspace, type Guards } from '../auth/guards.ts';
import type { Database } from '../db/database.ts';
import type { PluginRegistry } from '../plugins/registry.ts';
import { createWorkspaceConfigStore } from '../plugins/workspace-config-store.ts';
import { markDevBuilds, withDevBuilds, type DevSessions } from '../plugins/dev-sessions/dev-sessions.ts';
import { listExtensions } from '../../shared/http/plugins.ts';
import { contractRoute, sendEncoded, sendNotModified } from '../http/contract-route.ts';
import { createExtensionsCache, matchesEtag } from './extensions-cache.ts';
import { extensionsOf } from './extensions.ts';

/**
 * What the shell asks for: the contributions to render in a workspace. Any member may ask. Built once per change
 * and sent with a strong ETag; `no-cache` makes the browser revalidate each time, so a 304 saves the body.
 */
export function registerWorkspaceRoutes(
  app: FastifyInstance,
  registry: PluginRegistry,
  guards: Guards,
  db: Database,
  devSessions?: DevSessions,
): void {
  const overrides = createWorkspaceConfigStore(db);
  const cache = createExtensionsCache();
  contractRoute(
    app,
    listExtensions,
    { guards: [guards.requireUser, guards.requireWorkspaceRole('viewer')] },
    async (request, reply) => {
      const { workspace } = currentWorkspace(request);
      const configs = await overrides.ofWorkspace(workspace.name);
      // A developer with dev sessions gets their own list (never cached, never shared).
      const mine = devSessions?.of(currentUser(request).id);
      if (mine?.size) {
        const extensions = markDevBuilds(
          extensionsOf(withDevBuilds(registry.list(), mine), workspace.name, configs),
          mine,
        );
        reply.header('cache-control', 'private, no-store');
        return { workspace: workspace.name, extensions };
      }
      const { body, etag } = cache.answer(registry.list(), workspace.name, configs);
      reply.header('etag', etag).header('cache-control', 'private, no-cache').header('vary', 'accept-encoding');
      if (matchesEtag(request.headers['if-none-match'], etag)) return sendNotModified(reply);
      return sendEncoded(reply, body, request.headers['accept-encoding']);
    },
  );
}
