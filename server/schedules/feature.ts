import type { Feature } from '../context.ts';
import type { RunService } from '../runs/service.ts';
import { createSchedulesRepository } from './repository.ts';
import { registerScheduleRoutes } from './routes.ts';
import { createScheduleHooks, createScheduler, type ScheduleHooks } from './scheduler.ts';

/** The scheduler feature, with its seams for plugins' schedule hooks. */
export interface SchedulesFeature extends Feature {
  readonly hooks: ScheduleHooks;
}

/**
 * Cron schedules that start runs through `runs`: serves the schedules API, starts a job per enabled schedule,
 * and stops them all on close.
 */
export function schedulesFeature(runs: RunService): SchedulesFeature {
  const hooks = createScheduleHooks();
  return {
    name: 'schedules',
    hooks,
    async start(app, context) {
      const repo = createSchedulesRepository(context.db);
      const scheduler = createScheduler({
        runs,
        hooks,
        workspaces: context.workspaces,
        logger: context.logger.child({ component: 'schedules' }),
      });
      for (const schedule of await repo.all()) scheduler.sync(schedule);
      registerScheduleRoutes(app, { repo, scheduler, guards: context.guards, audit: context.audit });
      return { close: async () => scheduler.stop() };
    },
  };
}
