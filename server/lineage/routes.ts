import { parseQuery } from '../http/body.ts';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import {
  LineageQuery,
  type LineageGraph,
  type LineageSearchResult,
} from '@dbt-workbench/plugin-sdk/contracts/lineage.schema';
import { currentWorkspace, type Guards } from '../auth/guards.ts';
import type { LineageService } from './service.ts';

const SearchQuery = z.object({
  q: z.string().trim().max(200).default(''),
  limit: z.coerce.number().int().min(1).max(50).default(20),
});

/** `GET /api/workspaces/:workspace/lineage` and `.../lineage/search`, for any member of the workspace. */
export function registerLineageRoutes(app: FastifyInstance, lineage: LineageService, guards: Guards): void {
  const viewer = { preHandler: [guards.requireUser, guards.requireWorkspaceRole('viewer')] };

  app.get<{ Params: { workspace: string } }>(
    '/api/workspaces/:workspace/lineage',
    viewer,
    async (request): Promise<LineageGraph> => {
      const { workspace } = currentWorkspace(request);
      const graph = await lineage.graph(workspace.name, parseQuery(LineageQuery, request.query));
      for (const problem of graph.overlayProblems) {
        request.log.warn({ workspace: workspace.name, owner: problem.owner }, problem.message);
      }
      return graph;
    },
  );

  app.get<{ Params: { workspace: string } }>(
    '/api/workspaces/:workspace/lineage/search',
    viewer,
    async (request): Promise<LineageSearchResult> => {
      const { workspace } = currentWorkspace(request);
      const query = parseQuery(SearchQuery, request.query);
      return { hits: await lineage.search(workspace.name, query.q, query.limit) };
    },
  );
}
