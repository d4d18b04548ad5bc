import { parseQuery } from '../http/body.ts';
import type { FastifyInstance } from 'fastify';
import {
  RunListQuery,
  RunLogQuery,
  type Run,
  type RunList,
  type RunLog,
} from '@dbt-workbench/plugin-sdk/contracts/runs.schema';
import type { AuditLog } from '../audit/audit-log.ts';
import { currentUser, currentWorkspace, type Guards } from '../auth/guards.ts';
import { HttpError } from '../http/errors.ts';
import type { RunService } from './service.ts';

type WithId = { Params: { workspace: string; id: string } };

/** The runs API under `/api/workspaces/:workspace/runs`: viewers read, developers start and cancel. */
export function registerRunRoutes(app: FastifyInstance, runs: RunService, deps: { guards: Guards; audit: AuditLog }) {
  const { guards, audit } = deps;
  const viewer = { preHandler: [guards.requireUser, guards.requireWorkspaceRole('viewer')] };
  const developer = { preHandler: [guards.requireUser, guards.requireWorkspaceRole('developer')] };
  const base = '/api/workspaces/:workspace/runs';

  app.get(base, viewer, async (request): Promise<RunList> => {
    const { workspace } = currentWorkspace(request);
    const query = parseQuery(RunListQuery, request.query);
    const page = await runs.list(workspace.name, query);
    return { runs: page, nextBefore: page.length === query.limit ? (page.at(-1)?.id ?? null) : null };
  });

  app.post(base, developer, async (request, reply): Promise<Run> => {
    const { workspace } = currentWorkspace(request);
    const user = currentUser(request);
    const run = await runs.start(workspace, { kind: 'manual', user });
    await audit.record({ actor: user, action: 'run.start', target: run.id, workspace: workspace.name });
    reply.status(201);
    return run;
  });

  app.get<WithId>(`${base}/:id`, viewer, async (request): Promise<Run> => {
    const { workspace } = currentWorkspace(request);
    const run = await runs.get(workspace.name, request.params.id);
    if (!run) throw new HttpError('not_found', `No run ${request.params.id} in workspace ${workspace.name}`);
    return run;
  });

  app.get<WithId>(`${base}/:id/log`, viewer, async (request): Promise<RunLog> => {
    const { workspace } = currentWorkspace(request);
    const { after, limit } = parseQuery(RunLogQuery, request.query);
    const log = await runs.log(workspace.name, request.params.id, after, limit);
    if (!log) throw new HttpError('not_found', `No run ${request.params.id} in workspace ${workspace.name}`);
    return log;
  });

  app.post<WithId>(`${base}/:id/cancel`, developer, async (request): Promise<Run> => {
    const { workspace } = currentWorkspace(request);
    const user = currentUser(request);
    const run = await runs.cancel(workspace.name, request.params.id, user);
    await audit.record({ actor: user, action: 'run.cancel', target: run.id, workspace: workspace.name });
    return run;
  });
}
