import type { Feature } from '../context.ts';
import { registerRunRoutes } from './routes.ts';
import type { RunService } from './service.ts';

/**
 * Runs: opens `runs` on the app's database (runs the last server left behind become `interrupted`), serves the
 * runs API, and on close terminates running commands and marks their runs `interrupted`.
 */
export function runsFeature(runs: RunService): Feature {
  return {
    name: 'runs',
    async start(app, context) {
      await runs.open({
        db: context.db,
        logger: context.logger.child({ component: 'runs' }),
        workspaces: context.workspaces,
      });
      registerRunRoutes(app, runs, context);
      return { close: () => runs.close() };
    },
  };
}
