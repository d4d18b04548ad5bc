import type { FastifyInstance, FastifyRequest } from 'fastify';
import { CATALOG_RESOURCE_TYPES } from '@dbt-workbench/plugin-sdk/contracts/catalog.schema';
import * as api from '../../shared/http/catalog.ts';
import { currentWorkspace, type Guards } from '../auth/guards.ts';
import { contractRoute } from '../http/contract-route.ts';
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

/** `catalog/status`, `catalog/summary`, `models` and `nodes/:uniqueId`, for any member of the workspace. */
export function registerCatalogRoutes(app: FastifyInstance, service: CatalogService, guards: Guards): void {
  const member = { guards: [guards.requireUser, guards.requireWorkspaceRole('viewer')] };

  contractRoute(app, api.getCatalogStatus, member, async (request) => storeOf(service, request).status());

  contractRoute(app, api.getCatalogSummary, member, async (request) => {
    const store = storeOf(service, request);
    return catalogSummary(store.index(), store.status());
  });

  contractRoute(app, api.listModels, member, async (request) => {
    const query = request.query;
    const { types, unknown } = parseResourceTypes(query.resourceType);
    if (unknown.length > 0) {
      throw new HttpError(
        'bad_request',
        `resourceType: ${unknown.map((t) => `"${t}"`).join(', ')} is not listed; use ${CATALOG_RESOURCE_TYPES.join(', ')} or all`,
      );
    }
    return listNodes(storeOf(service, request).index(), query, types);
  });

  contractRoute(app, api.getNode, member, async (request) => {
    const store = storeOf(service, request);
    const index = store.index();
    const { uniqueId } = request.params;
    const node = index.nodes.get(uniqueId);
    if (!node) {
      const test = index.tests.has(uniqueId) ? ' (it is a test: open the node it tests)' : '';
      throw new HttpError('not_found', `No node "${uniqueId}" in the catalog of ${store.workspace}${test}`);
    }
    return nodeDetail(index, node);
  });
}
