import type { FastifyInstance } from 'fastify';
import {
  NewScheduleBody,
  ScheduleDefinition,
  ScheduleUpdateBody,
  type Schedule,
  type ScheduleList,
} from '@dbt-workbench/plugin-sdk/contracts/runs.schema';
import type { AuditLog } from '../audit/audit-log.ts';
import { currentUser, currentWorkspace, type Guards } from '../auth/guards.ts';
import { parseBody } from '../http/body.ts';
import { HttpError } from '../http/errors.ts';
import type { SchedulesRepository } from './repository.ts';
import type { Scheduler } from './scheduler.ts';

type WithId = { Params: { workspace: string; id: string } };

/** The schedules API under `/api/workspaces/:workspace/schedules`: viewers read, developers change. */
export function registerScheduleRoutes(
  app: FastifyInstance,
  deps: { repo: SchedulesRepository; scheduler: Scheduler; guards: Guards; audit: AuditLog },
): void {
  const { repo, scheduler, guards, audit } = deps;
  const viewer = { preHandler: [guards.requireUser, guards.requireWorkspaceRole('viewer')] };
  const developer = { preHandler: [guards.requireUser, guards.requireWorkspaceRole('developer')] };
  const base = '/api/workspaces/:workspace/schedules';

  async function checkName(workspace: string, name: string, exceptId?: string): Promise<void> {
    if (await repo.nameTaken(workspace, name, exceptId))
      throw new HttpError('conflict', `A schedule named "${name}" already exists in ${workspace}`);
  }

  app.get(base, viewer, async (request): Promise<ScheduleList> => {
    const { workspace } = currentWorkspace(request);
    return { schedules: (await repo.list(workspace.name)).map(scheduler.describe) };
  });

  app.post(base, developer, async (request, reply): Promise<Schedule> => {
    const { workspace } = currentWorkspace(request);
    const user = currentUser(request);
    const definition = parseBody(NewScheduleBody, request.body);
    await checkName(workspace.name, definition.name);
    const schedule = await repo.insert(workspace.name, definition, user.id);
    scheduler.sync(schedule);
    await audit.record({
      actor: user,
      action: 'schedule.create',
      target: schedule.name,
      workspace: workspace.name,
      details: definition,
    });
    reply.status(201);
    return scheduler.describe(schedule);
  });

  app.put<WithId>(`${base}/:id`, developer, async (request): Promise<Schedule> => {
    const { workspace } = currentWorkspace(request);
    const user = currentUser(request);
    const changes = parseBody(ScheduleUpdateBody, request.body);
    const existing = await repo.get(workspace.name, request.params.id);
    if (!existing) throw new HttpError('not_found', `No schedule ${request.params.id} in workspace ${workspace.name}`);
    const { name, cron, timezone, enabled } = existing;
    // Checked as a whole: a new time zone must suit the old cron, and the other way round.
    const definition = parseBody(ScheduleDefinition, { name, cron, timezone, enabled, ...changes });
    await checkName(workspace.name, definition.name, existing.id);
    const schedule = (await repo.update(workspace.name, existing.id, definition))!;
    scheduler.sync(schedule);
    await audit.record({
      actor: user,
      action: 'schedule.update',
      target: schedule.name,
      workspace: workspace.name,
      details: changes,
    });
    return scheduler.describe(schedule);
  });

  app.delete<WithId>(`${base}/:id`, developer, async (request, reply) => {
    const { workspace } = currentWorkspace(request);
    const existing = await repo.get(workspace.name, request.params.id);
    if (!existing || !(await repo.remove(workspace.name, existing.id)))
      throw new HttpError('not_found', `No schedule ${request.params.id} in workspace ${workspace.name}`);
    scheduler.remove(existing.id);
    await audit.record({
      actor: currentUser(request),
      action: 'schedule.delete',
      target: existing.name,
      workspace: workspace.name,
    });
    return reply.status(204).send();
  });
}
