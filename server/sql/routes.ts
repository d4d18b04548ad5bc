import type { FastifyInstance } from 'fastify';
import {
  SavedQueryBody,
  SqlQueryBody,
  type SavedQuery,
  type SavedQueryList,
  type SqlQueryResult,
  type SqlTables,
} from '@dbt-workbench/plugin-sdk/contracts/sql.schema';
import { currentUser, currentWorkspace, type Guards } from '../auth/guards.ts';
import { parseBody } from '../http/body.ts';
import { HttpError } from '../http/errors.ts';
import { DuplicateNameError, type Owner, type SavedQueries } from './saved-queries.ts';
import { SqlQueryError, type SqlService } from './service.ts';

export interface SqlRouteDeps {
  sql: SqlService;
  saved: SavedQueries;
  guards: Guards;
  timeoutMs: number;
}

type WorkspaceParams = { Params: { workspace: string } };
type SavedParams = { Params: { workspace: string; id: string } };

/** The SQL workspace API under `/api/workspaces/:workspace/sql/`: queries, tables, saved queries. Developers and up. */
export function registerSqlRoutes(app: FastifyInstance, deps: SqlRouteDeps): void {
  const { sql, saved, guards, timeoutMs } = deps;
  const developer = { preHandler: [guards.requireUser, guards.requireWorkspaceRole('developer')] };
  const base = '/api/workspaces/:workspace/sql';

  function owner(request: Parameters<typeof currentUser>[0]): Owner {
    return { workspace: currentWorkspace(request).workspace.name, userId: currentUser(request).id };
  }

  function duplicate(error: unknown): never {
    if (error instanceof DuplicateNameError)
      throw new HttpError('conflict', `You already have a saved query named "${error.message}" in this workspace`);
    throw error;
  }

  app.post<WorkspaceParams>(`${base}/query`, developer, async (request): Promise<SqlQueryResult> => {
    const body = parseBody(SqlQueryBody, request.body);
    try {
      return await sql.query(currentWorkspace(request).workspace, body.sql, { limit: body.limit, timeoutMs });
    } catch (error) {
      if (error instanceof SqlQueryError) throw new HttpError(error.kind, error.message);
      throw error;
    }
  });

  app.get<WorkspaceParams>(`${base}/tables`, developer, async (request): Promise<SqlTables> =>
    sql.tables(currentWorkspace(request).workspace),
  );

  app.get<WorkspaceParams>(`${base}/saved`, developer, async (request): Promise<SavedQueryList> => ({
    queries: await saved.list(owner(request)),
  }));

  app.post<WorkspaceParams>(`${base}/saved`, developer, async (request, reply): Promise<SavedQuery> => {
    const body = parseBody(SavedQueryBody, request.body);
    const query = await saved.create(owner(request), body).catch(duplicate);
    reply.status(201);
    return query;
  });

  app.put<SavedParams>(`${base}/saved/:id`, developer, async (request): Promise<SavedQuery> => {
    const body = parseBody(SavedQueryBody, request.body);
    const query = await saved.update(owner(request), request.params.id, body).catch(duplicate);
    if (!query) throw new HttpError('not_found', `You have no saved query with id ${request.params.id}`);
    return query;
  });

  app.delete<SavedParams>(`${base}/saved/:id`, developer, async (request) => {
    if (!(await saved.remove(owner(request), request.params.id)))
      throw new HttpError('not_found', `You have no saved query with id ${request.params.id}`);
    return { ok: true };
  });
}
