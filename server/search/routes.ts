import type { FastifyInstance } from 'fastify';
import { searchCatalog } from '../../shared/http/catalog.ts';
import type { Guards } from '../auth/guards.ts';
import { storeOf } from '../catalog/routes.ts';
import type { CatalogService } from '../catalog/service.ts';
import { contractRoute } from '../http/contract-route.ts';

/** `GET search?q=&limit=`: catalog search for any member of the workspace. */
export function registerSearchRoutes(app: FastifyInstance, service: CatalogService, guards: Guards): void {
  contractRoute(
    app,
    searchCatalog,
    { guards: [guards.requireUser, guards.requireWorkspaceRole('viewer')] },
    async (request) => {
      const query = request.query;
      const started = performance.now();
      const { hits, total } = storeOf(service, request).searchIndex().search(query.q, query.limit);
      const tookMs = Math.round((performance.now() - started) * 100) / 100;
      return { query: query.q, hits, total, tookMs };
    },
  );
}
