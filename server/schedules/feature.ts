import { randomUUID } from 'node:crypto';
import os from 'node:os';
import type { Feature } from '../context.ts';
import { createFiringClaims } from './firing-claims.ts';
import type { RunService } from '../runs/service.ts';
import { createSchedulesRepository } from './repository.ts';
import { backendSecret } from '../sandbox/backend-secret.ts';
import { createPluginTriggers, type PluginTriggers } from './plugin-triggers.ts';
import { registerScheduleRoutes, registerTriggerRoutes } from './routes.ts';
import { shareScheduleChanges } from './schedule-changes.ts';
import { createScheduleHooks, createScheduler, type ScheduleHooks } from './scheduler.ts';

/** The scheduler feature, with its seams for plugins' schedule hooks. */
export interface SchedulesFeature extends Feature {
  readonly hooks: ScheduleHooks;
  /** Plugins' scheduler triggers; the plugin backends feature hands each backend's triggers over. */
  readonly triggers: PluginTriggers;
}

/**
 * Cron schedules that start runs through `runs`: serves the schedules API, starts a job per enabled schedule,
 * and stops them all on close.
 */
export function schedulesFeature(runs: RunService): SchedulesFeature {
  const hooks = createScheduleHooks();
  const triggers = createPluginTriggers();
  return {
    name: 'schedules',
    hooks,
    triggers,
    async start(app, context) {
      const repo = createSchedulesRepository(context.db);
      const scheduler = createScheduler({
        runs,
        hooks,
        workspaces: context.workspaces,
        claims: createFiringClaims(context.db, `${os.hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`),
        current: (schedule) => repo.get(schedule.workspace, schedule.id),
        logger: context.logger.child({ component: 'schedules' }),
      });
      scheduler.reload(await repo.all());
      const changes = await shareScheduleChanges({
        db: context.db,
        repo,
        scheduler,
        logger: context.logger.child({ component: 'schedules' }),
      });
      const { settings } = context;
      triggers.open({
        runs,
        workspaces: context.workspaces,
        audit: context.audit,
        logger: context.logger.child({ component: 'plugin-triggers' }),
        minIntervalMs: settings.pluginBackends.triggerMinIntervalMs,
        secret: await backendSecret(settings.pluginBackends.secret, settings.dataDirectory, context.db),
      });
      registerScheduleRoutes(app, {
        repo,
        scheduler,
        announce: changes.announce,
        guards: context.guards,
        audit: context.audit,
      });
      registerTriggerRoutes(app, { triggers, guards: context.guards });
      return {
        close: async () => {
          await changes.stop();
          scheduler.stop();
          triggers.close();
        },
      };
    },
  };
}
