import type { FastifyInstance } from 'fastify';
import * as api from '../../shared/http/sql.ts';
import { currentUser, currentWorkspace, type Guards } from '../auth/guards.ts';
import { contractRoute } from '../http/contract-route.ts';
import { HttpError } from '../http/errors.ts';
import { DuplicateNameError, type Owner, type SavedQueries } from './saved-queries.ts';
import { SqlQueryError, type SqlService } from './service.ts';

export interface SqlRouteDeps {
  sql: SqlService;
  saved: SavedQueries;
  guards: Guards;
  timeoutMs: number;
}

/** The SQL workspace API under `/api/workspaces/:workspace/sql/`: queries, tables, saved queries. Developers and up. */
export function registerSqlRoutes(app: FastifyInstance, deps: SqlRouteDeps): void {
  const { sql, saved, guards, timeoutMs } = deps;
  const developer = { guards: [guards.requireUser, guards.requireWorkspaceRole('developer')] };

  function owner(request: Parameters<typeof currentUser>[0]): Owner {
    return { workspace: currentWorkspace(request).workspace.name, userId: currentUser(request).id };
  }

  function duplicate(error: unknown): never {
    if (error instanceof DuplicateNameError)
      throw new HttpError('conflict', `You already have a saved query named "${error.message}" in this workspace`);
    throw error;
  }

  contractRoute(app, api.runSqlQuery, developer, async (request) => {
    const body = request.body;
    try {
      return await sql.query(currentWorkspace(request).workspace, body.sql, { limit: body.limit, timeoutMs });
    } catch (error) {
      if (error instanceof SqlQueryError) throw new HttpError(error.kind, error.message);
      throw error;
    }
  });

  contractRoute(app, api.listSqlTables, developer, async (request) => sql.tables(currentWorkspace(request).workspace));

  contractRoute(app, api.listSavedQueries, developer, async (request) => ({
    queries: await saved.list(owner(request)),
  }));

  contractRoute(app, api.createSavedQuery, developer, async (request, reply) => {
    const body = request.body;
    const query = await saved.create(owner(request), body).catch(duplicate);
    reply.status(201);
    return query;
  });

  contractRoute(app, api.updateSavedQuery, developer, async (request) => {
    const body = request.body;
    const query = await saved.update(owner(request), request.params.id, body).catch(duplicate);
    if (!query) throw new HttpError('not_found', `You have no saved query with id ${request.params.id}`);
    return query;
  });

  contractRoute(app, api.deleteSavedQuery, developer, async (request) => {
    if (!(await saved.remove(owner(request), request.params.id)))
      throw new HttpError('not_found', `You have no saved query with id ${request.params.id}`);
    return { ok: true as const };
  });
}
