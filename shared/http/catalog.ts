import { z } from 'zod';
import { defineRoute } from '@dbt-workbench/plugin-sdk/contracts/http';
import {
  CatalogStatus,
  CatalogSummary,
  ModelList,
  ModelListQuery,
  NodeDetail,
  SearchQuery,
  SearchResponse,
} from '@dbt-workbench/plugin-sdk/contracts/catalog.schema';

// A workspace's catalog (its dbt artifacts) and its search, for any member of the workspace.

const InWorkspace = z.object({ workspace: z.string() });

/** The artifact store's state: what is loaded, when, and what failed to load. */
export const getCatalogStatus = defineRoute({
  method: 'GET',
  path: '/api/workspaces/:workspace/catalog/status',
  params: InWorkspace,
  responses: { 200: CatalogStatus },
});

/** Counts by resource type and test status. */
export const getCatalogSummary = defineRoute({
  method: 'GET',
  path: '/api/workspaces/:workspace/catalog/summary',
  params: InWorkspace,
  responses: { 200: CatalogSummary },
});

/** Models (or, with `resourceType`, other nodes) with their last status, filtered, with the filters' values. */
export const listModels = defineRoute({
  method: 'GET',
  path: '/api/workspaces/:workspace/models',
  params: InWorkspace,
  query: ModelListQuery,
  responses: { 200: ModelList },
});

/** Everything about one node: columns, tests, SQL, upstream and downstream. */
export const getNode = defineRoute({
  method: 'GET',
  path: '/api/workspaces/:workspace/nodes/:uniqueId',
  params: InWorkspace.extend({ uniqueId: z.string() }),
  responses: { 200: NodeDetail },
});

/** The catalog's best hits for `q`. */
export const searchCatalog = defineRoute({
  method: 'GET',
  path: '/api/workspaces/:workspace/search',
  params: InWorkspace,
  query: SearchQuery,
  responses: { 200: SearchResponse },
});
