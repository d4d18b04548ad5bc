import type { FastifyInstance } from 'fastify';
import * as api from '../../shared/http/runs.ts';
import type { AuditLog } from '../audit/audit-log.ts';
import { currentUser, currentWorkspace, type Guards } from '../auth/guards.ts';
import { contractRoute } from '../http/contract-route.ts';
import { HttpError } from '../http/errors.ts';
import type { RunService } from './service.ts';

/** The runs API under `/api/workspaces/:workspace/runs`: viewers read, developers start and cancel. */
export function registerRunRoutes(app: FastifyInstance, runs: RunService, deps: { guards: Guards; audit: AuditLog }) {
  const { guards, audit } = deps;
  const viewer = { guards: [guards.requireUser, guards.requireWorkspaceRole('viewer')] };
  const developer = { guards: [guards.requireUser, guards.requireWorkspaceRole('developer')] };

  contractRoute(app, api.listRuns, viewer, async (request) => {
    const { workspace } = currentWorkspace(request);
    const query = request.query;
    const page = await runs.list(workspace.name, query);
    return { runs: page, nextBefore: page.length === query.limit ? (page.at(-1)?.id ?? null) : null };
  });

  contractRoute(app, api.startRun, developer, async (request, reply) => {
    const { workspace } = currentWorkspace(request);
    const user = currentUser(request);
    const run = await runs.start(workspace, { kind: 'manual', user });
    await audit.record({ actor: user, action: 'run.start', target: run.id, workspace: workspace.name });
    reply.status(201);
    return run;
  });

  contractRoute(app, api.getRun, viewer, async (request) => {
    const { workspace } = currentWorkspace(request);
    const run = await runs.get(workspace.name, request.params.id);
    if (!run) throw new HttpError('not_found', `No run ${request.params.id} in workspace ${workspace.name}`);
    return run;
  });

  contractRoute(app, api.getRunLog, viewer, async (request) => {
    const { workspace } = currentWorkspace(request);
    const { after, limit } = request.query;
    const log = await runs.log(workspace.name, request.params.id, after, limit);
    if (!log) throw new HttpError('not_found', `No run ${request.params.id} in workspace ${workspace.name}`);
    return log;
  });

  contractRoute(app, api.cancelRun, developer, async (request) => {
    const { workspace } = currentWorkspace(request);
    const user = currentUser(request);
    const run = await runs.cancel(workspace.name, request.params.id, user);
    await audit.record({ actor: user, action: 'run.cancel', target: run.id, workspace: workspace.name });
    return run;
  });
}
