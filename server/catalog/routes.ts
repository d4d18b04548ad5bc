import { parseQuery } from '../http/body.ts';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import {
  CATALOG_RESOURCE_TYPES,
  ModelListQuery,
  type CatalogStatus,
  type CatalogSummary,
  type ModelList,
  type NodeDetail,
} from '@dbt-workbench/plugin-sdk/contracts/catalog.schema';
import { currentWorkspace, type Guards } from '../auth/guards.ts';
import { HttpError } from '../http/errors.ts';
import type { ArtifactStore } from './artifact-store.ts';
import type { CatalogService } from './service.ts';
import { catalogSummary, listNodes, nodeDetail, parseResourceTypes } from './views.ts';

/** The store of the request's workspace (the route's guard checked membership). */
export function storeOf(service: CatalogService, request: FastifyRequest): ArtifactStore {
  const { workspace } = currentWorkspace(request);
  const store = service.store(workspace.name);
  if (!store) throw new HttpError('workspace_not_found', `The catalog of "${workspace.name}" is not running`);
  return store;
}

type WorkspaceParams = { Params: { workspace: string } };

/** `catalog/status`, `catalog/summary`, `models` and `nodes/:uniqueId`, for any member of the workspace. */
export function registerCatalogRoutes(app: FastifyInstance, service: CatalogService, guards: Guards): void {
  const member = { preHandler: [guards.requireUser, guards.requireWorkspaceRole('viewer')] };

  app.get<WorkspaceParams>(
    '/api/workspaces/:workspace/catalog/status',
    member,
    async (request): Promise<CatalogStatus> => storeOf(service, request).status(),
  );

  app.get<WorkspaceParams>('/api/workspaces/:workspace/catalog/summary', member, async (request) => {
    const store = storeOf(service, request);
    const summary: CatalogSummary = catalogSummary(store.index(), store.status());
    return summary;
  });

  app.get<WorkspaceParams>('/api/workspaces/:workspace/models', member, async (request): Promise<ModelList> => {
    const query = parseQuery(ModelListQuery, request.query);
    const { types, unknown } = parseResourceTypes(query.resourceType);
    if (unknown.length > 0) {
      throw new HttpError(
        'bad_request',
        `resourceType: ${unknown.map((t) => `"${t}"`).join(', ')} is not listed; use ${CATALOG_RESOURCE_TYPES.join(', ')} or all`,
      );
    }
    return listNodes(storeOf(service, request).index(), query, types);
  });

  app.get<{ Params: { workspace: string; uniqueId: string } }>(
    '/api/workspaces/:workspace/nodes/:uniqueId',
    member,
    async (request): Promise<NodeDetail> => {
      const store = storeOf(service, request);
      const index = store.index();
      const { uniqueId } = request.params;
      const node = index.nodes.get(uniqueId);
      if (!node) {
        const test = index.tests.has(uniqueId) ? ' (it is a test: open the node it tests)' : '';
        throw new HttpError('not_found', `No node "${uniqueId}" in the catalog of ${store.workspace}${test}`);
      }
      return nodeDetail(index, node);
    },
  );
}
