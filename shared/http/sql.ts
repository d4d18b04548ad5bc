import { z } from 'zod';
import { defineRoute } from '@dbt-workbench/plugin-sdk/contracts/http';
import {
  SavedQuery,
  SavedQueryBody,
  SavedQueryList,
  SqlQueryBody,
  SqlQueryResult,
  SqlTables,
} from '@dbt-workbench/plugin-sdk/contracts/sql.schema';

// The SQL workspace of a workspace, for developers and up: queries, tables, and each user's saved queries.

const InWorkspace = z.object({ workspace: z.string() });
const SavedParams = InWorkspace.extend({ id: z.string() });

/** Runs SQL in the workspace's database; DuckDB's message comes back as the error's. */
export const runSqlQuery = defineRoute({
  method: 'POST',
  path: '/api/workspaces/:workspace/sql/query',
  params: InWorkspace,
  body: SqlQueryBody,
  responses: { 200: SqlQueryResult },
});

export const listSqlTables = defineRoute({
  method: 'GET',
  path: '/api/workspaces/:workspace/sql/tables',
  params: InWorkspace,
  responses: { 200: SqlTables },
});

export const listSavedQueries = defineRoute({
  method: 'GET',
  path: '/api/workspaces/:workspace/sql/saved',
  params: InWorkspace,
  responses: { 200: SavedQueryList },
});

export const createSavedQuery = defineRoute({
  method: 'POST',
  path: '/api/workspaces/:workspace/sql/saved',
  params: InWorkspace,
  body: SavedQueryBody,
  responses: { 201: SavedQuery },
});

export const updateSavedQuery = defineRoute({
  method: 'PUT',
  path: '/api/workspaces/:workspace/sql/saved/:id',
  params: SavedParams,
  body: SavedQueryBody,
  responses: { 200: SavedQuery },
});

export const deleteSavedQuery = defineRoute({
  method: 'DELETE',
  path: '/api/workspaces/:workspace/sql/saved/:id',
  params: SavedParams,
  responses: { 200: z.object({ ok: z.literal(true) }) },
});
