import type { FastifyInstance } from 'fastify';
import { SearchQuery, type SearchResponse } from '@dbt-workbench/plugin-sdk/contracts/catalog.schema';
import type { Guards } from '../auth/guards.ts';
import { storeOf } from '../catalog/routes.ts';
import { parseQuery } from '../http/body.ts';
import type { CatalogService } from '../catalog/service.ts';

/** `GET search?q=&limit=`: catalog search for any member of the workspace. */
export function registerSearchRoutes(app: FastifyInstance, service: CatalogService, guards: Guards): void {
  app.get<{ Params: { workspace: string } }>(
    '/api/workspaces/:workspace/search',
    { preHandler: [guards.requireUser, guards.requireWorkspaceRole('viewer')] },
    async (request): Promise<SearchResponse> => {
      const query = parseQuery(SearchQuery, request.query);
      const started = performance.now();
      const { hits, total } = storeOf(service, request).searchIndex().search(query.q, query.limit);
      const tookMs = Math.round((performance.now() - started) * 100) / 100;
      return { query: query.q, hits, total, tookMs };
    },
  );
}
