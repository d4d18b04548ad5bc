import type { FastifyInstance } from 'fastify';
import { ScheduleDefinition } from '@dbt-workbench/plugin-sdk/contracts/runs.schema';
import * as api from '../../shared/http/schedules.ts';
import type { AuditLog } from '../audit/audit-log.ts';
import { currentUser, currentWorkspace, type Guards } from '../auth/guards.ts';
import { parseBody } from '../http/body.ts';
import { contractRoute } from '../http/contract-route.ts';
import { HttpError } from '../http/errors.ts';
import type { SchedulesRepository } from './repository.ts';
import type { ScheduleChanges } from './schedule-changes.ts';
import type { Scheduler } from './scheduler.ts';
import type { PluginTriggers } from './plugin-triggers.ts';
import { roleAllows } from '@dbt-workbench/plugin-sdk/contracts/roles';

/** The schedules API under `/api/workspaces/:workspace/schedules`: viewers read, developers change. */
export function registerScheduleRoutes(
  app: FastifyInstance,
  deps: {
    repo: SchedulesRepository;
    scheduler: Scheduler;
    /** Tells the other servers on the database (committed), whose schedulers read the schedule again. */
    announce: ScheduleChanges['announce'];
    guards: Guards;
    audit: AuditLog;
  },
): void {
  const { repo, scheduler, announce, guards, audit } = deps;
  const viewer = { guards: [guards.requireUser, guards.requireWorkspaceRole('viewer')] };
  const developer = { guards: [guards.requireUser, guards.requireWorkspaceRole('developer')] };

  async function checkName(workspace: string, name: string, exceptId?: string): Promise<void> {
    if (await repo.nameTaken(workspace, name, exceptId))
      throw new HttpError('conflict', `A schedule named "${name}" already exists in ${workspace}`);
  }

  contractRoute(app, api.listSchedules, viewer, async (request) => {
    const { workspace } = currentWorkspace(request);
    return { schedules: (await repo.list(workspace.name)).map(scheduler.describe) };
  });

  contractRoute(app, api.createSchedule, developer, async (request, reply) => {
    const { workspace } = currentWorkspace(request);
    const user = currentUser(request);
    const definition = request.body;
    await checkName(workspace.name, definition.name);
    const schedule = await repo.insert(workspace.name, definition, user.id);
    scheduler.sync(schedule);
    announce(schedule);
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

  contractRoute(app, api.updateSchedule, developer, async (request) => {
    const { workspace } = currentWorkspace(request);
    const user = currentUser(request);
    const changes = request.body;
    const existing = await repo.get(workspace.name, request.params.id);
    if (!existing) throw new HttpError('not_found', `No schedule ${request.params.id} in workspace ${workspace.name}`);
    const { name, cron, timezone, enabled } = existing;
    // Checked as a whole: a new time zone must suit the old cron, and the other way round.
    const definition = parseBody(ScheduleDefinition, { name, cron, timezone, enabled, ...changes });
    await checkName(workspace.name, definition.name, existing.id);
    const schedule = (await repo.update(workspace.name, existing.id, definition))!;
    scheduler.sync(schedule);
    announce(schedule);
    await audit.record({
      actor: user,
      action: 'schedule.update',
      target: schedule.name,
      workspace: workspace.name,
      details: changes,
    });
    return scheduler.describe(schedule);
  });

  contractRoute(app, api.deleteSchedule, developer, async (request, reply) => {
    const { workspace } = currentWorkspace(request);
    const existing = await repo.get(workspace.name, request.params.id);
    if (!existing || !(await repo.remove(workspace.name, existing.id)))
      throw new HttpError('not_found', `No schedule ${request.params.id} in workspace ${workspace.name}`);
    scheduler.remove(existing.id);
    announce(existing);
    await audit.record({
      actor: currentUser(request),
      action: 'schedule.delete',
      target: existing.name,
      workspace: workspace.name,
    });
    reply.status(204);
    return undefined;
  });
}

/**
 * Plugins' scheduler triggers: `GET /api/workspaces/:workspace/schedules/triggers` for members (webhook URLs and
 * tokens for developers), and `POST /api/triggers/:plugin/:workspace/:name/webhook`, which anyone holding the trigger's token may call
 * (header `x-workbench-trigger-token`): 202 with the run started, 200 when none was and why, 404 otherwise.
 */
export function registerTriggerRoutes(app: FastifyInstance, deps: { triggers: PluginTriggers; guards: Guards }): void {
  const { triggers, guards } = deps;
  contractRoute(
    app,
    api.listPluginTriggers,
    { guards: [guards.requireUser, guards.requireWorkspaceRole('viewer')] },
    async (request) => {
      const { workspace, role } = currentWorkspace(request);
      return { triggers: triggers.list(workspace.name, roleAllows(role, 'developer')) };
    },
  );

  contractRoute(app, api.callTriggerWebhook, {}, async (request, reply) => {
    const token = request.headers['x-workbench-trigger-token'];
    const { plugin, name } = request.params;
    const answer =
      typeof token === 'string' ? await triggers.webhook(request.params, token, request.body ?? null) : undefined;
    // An unknown trigger and a wrong token look the same, so trigger names do not leak.
    if (!answer) throw new HttpError('not_found', `No webhook trigger ${plugin}.${name} there with this token`);
    reply.status(answer.started ? 202 : 200);
    return answer;
  });
}
