import type { Feature } from '../../context.ts';
import { pluginMetricsOf } from '../metrics/view.ts';
import { budgetActions } from './actions.ts';
import { effectiveBudget } from './evaluate.ts';
import { registerBudgetRoutes } from './routes.ts';
import { createBudgetStore } from './store.ts';
import { createBudgetWatcher } from './watcher.ts';

/**
 * Plugin budgets (PLUGIN_BUDGET_*): judges each plugin's cost point by point and, when it stays over budget for a
 * whole window, disables it with the reason, an audit entry and a notice to admins (or, with automatic disable
 * off, only the notice). Serves the budget and notice routes. Starts after the plugin metrics feature, whose
 * points it follows.
 */
export function createBudgetsFeature(): Feature {
  return {
    name: 'plugin-budgets',
    async start(app, context) {
      const { db, plugins, settings, logger } = context;
      const defaults = settings.pluginOperations.budget;
      const store = createBudgetStore(db);
      const removeReasons = plugins.addDisabledReasons(
        async () => new Map([...(await store.autoDisables())].map(([name, record]) => [name, record.reason])),
      );
      // Plugins disabled automatically before a restart stay disabled, with their reason.
      await plugins.refresh();
      // Kept in memory so health badges judge against them without a query per plugin. The watcher reads them from
      // the database at each point, where another server's admin may have changed them, and refreshes this copy.
      const overrides = await store.allOverrides();
      const noticesChanged = () => context.events.publish({ type: 'notices-changed', at: new Date().toISOString() });
      const metrics = pluginMetricsOf(plugins);
      const removeBudgetSource = metrics?.registerBudgetSource((name) =>
        effectiveBudget(defaults, overrides.get(name)),
      );
      const actions = budgetActions({ db, registry: plugins, writeLog: context.pluginLogs.write, noticesChanged });
      const watcher =
        metrics &&
        createBudgetWatcher({
          defaults,
          async overrides(plugin) {
            const stored = await store.overrides(plugin);
            overrides.set(plugin, stored);
            return stored;
          },
          isActive: (plugin) => plugins.get(plugin)?.state === 'active',
          disable: actions.disable,
          report: actions.report,
          failed: (error, plugin) =>
            logger.error({ err: error, plugin, component: 'plugin-budgets' }, 'judging a plugin budget failed'),
        });
      let judging = Promise.resolve();
      const unsubscribe = watcher && metrics?.subscribe((plugin, point) => (judging = watcher.judge(plugin, point)));
      registerBudgetRoutes(app, {
        db,
        registry: plugins,
        guards: context.guards,
        defaults,
        watcher,
        overridesChanged: (plugin, changed) => overrides.set(plugin, changed),
        noticesChanged,
      });
      return {
        async close() {
          unsubscribe?.();
          removeBudgetSource?.();
          removeReasons();
          await judging;
        },
      };
    },
  };
}
