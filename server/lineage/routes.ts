import type { FastifyInstance } from 'fastify';
import * as api from '../../shared/http/lineage.ts';
import { currentWorkspace, type Guards } from '../auth/guards.ts';
import { contractRoute } from '../http/contract-route.ts';
import type { LineageService } from './service.ts';

/** `GET /api/workspaces/:workspace/lineage` and `.../lineage/search`, for any member of the workspace. */
export function registerLineageRoutes(app: FastifyInstance, lineage: LineageService, guards: Guards): void {
  const viewer = { guards: [guards.requireUser, guards.requireWorkspaceRole('viewer')] };

  contractRoute(app, api.getLineage, viewer, async (request) => {
    const { workspace } = currentWorkspace(request);
    const graph = await lineage.graph(workspace.name, request.query);
    for (const problem of graph.overlayProblems) {
      request.log.warn({ workspace: workspace.name, owner: problem.owner }, problem.message);
    }
    return graph;
  });

  contractRoute(app, api.searchLineage, viewer, async (request) => {
    const { workspace } = currentWorkspace(request);
    const { q, limit } = request.query;
    return { hits: await lineage.search(workspace.name, q, limit) };
  });
}
