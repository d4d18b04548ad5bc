import { z } from 'zod';
import { defineRoute } from '@dbt-workbench/plugin-sdk/contracts/http';
import { LineageGraph, LineageQuery, LineageSearchResult } from '@dbt-workbench/plugin-sdk/contracts/lineage.schema';

// A workspace's lineage graph and the search for a node to focus on, for any member of the workspace.

const InWorkspace = z.object({ workspace: z.string() });

export const getLineage = defineRoute({
  method: 'GET',
  path: '/api/workspaces/:workspace/lineage',
  params: InWorkspace,
  query: LineageQuery,
  responses: { 200: LineageGraph },
});

/** Nodes whose name or id contains `q`. */
export const searchLineage = defineRoute({
  method: 'GET',
  path: '/api/workspaces/:workspace/lineage/search',
  params: InWorkspace,
  query: z.object({
    q: z.string().trim().max(200).default(''),
    limit: z.coerce.number().int().min(1).max(50).default(20),
  }),
  responses: { 200: LineageSearchResult },
});
