import type { BudgetOverrides, PluginBudgetDefaults } from '../../../shared/plugin-budgets.schema.ts';
import type { MetricsPoint } from '@dbt-workbench/plugin-sdk/contracts/plugin-metrics.schema';
import { breaches, effectiveBudget, lastWindow, sustainedBreaches } from './evaluate.ts';

export interface BudgetWatcherDeps {
  defaults: PluginBudgetDefaults;
  /** An admin's overrides of the plugin's budget. */
  overrides(plugin: string): Promise<BudgetOverrides>;
  /** Only active plugins are judged; one that is not starts a fresh window when it runs again. */
  isActive(plugin: string): boolean;
  /** Disables a plugin that stayed over budget for a whole window (when `autoDisable` is on). */
  disable(plugin: string, reason: string): Promise<void>;
  /** Tells admins a plugin stays over budget (when `autoDisable` is off), once per stretch over budget. */
  report(plugin: string, reason: string): Promise<void>;
  /** Judging a point failed (the database, say); the next point is judged anyway. */
  failed(error: unknown, plugin: string): void;
}

/** Judges every plugin's cost, point by point, against its budget. */
export interface BudgetWatcher {
  /**
   * Judges the plugin's newest point (the cluster's: a point of an interval judged before replaces it, now with
   * every server's figures in); points are judged one at a time, in order. Resolves when judged.
   */
  judge(plugin: string, point: MetricsPoint): Promise<void>;
  /** The points of the plugin's current window (since it last started running) and when it went over budget. */
  current(plugin: string): { points: MetricsPoint[]; overBudgetSince: string | null };
}

interface Watch {
  points: MetricsPoint[];
  overBudgetSince: string | null;
  /** Reported for the current stretch over budget: not again until it is back within budget. */
  reported: boolean;
}

/** The points (oldest first) with `point` in its place: it replaces one with the same `at`. Pure. */
function withPoint(points: readonly MetricsPoint[], point: MetricsPoint): MetricsPoint[] {
  return [...points.filter((p) => p.at !== point.at), point].sort((a, b) => a.at.localeCompare(b.at));
}

/**
 * Keeps each active plugin's points of the last window and acts when it stays over budget for the whole window:
 * disables it, or only reports it with `autoDisable` off. A plugin disabled (by anyone) starts over from no points
 * once it runs again, so old points never trip it at once.
 */
export function createBudgetWatcher(deps: BudgetWatcherDeps): BudgetWatcher {
  const watches = new Map<string, Watch>();
  /** Per plugin, the newest point of its last ended window: the cluster history may read it again later. */
  const endedAt = new Map<string, string>();
  let queue = Promise.resolve();

  function endWindow(plugin: string): void {
    const newest = watches.get(plugin)?.points.at(-1)?.at;
    if (newest) endedAt.set(plugin, newest);
    watches.delete(plugin);
  }

  async function judgeNow(plugin: string, point: MetricsPoint): Promise<void> {
    if (!deps.isActive(plugin)) {
      endWindow(plugin);
      return;
    }
    // A fresh window never takes an interval the last one judged: the cluster's history reads an interval again
    // once every server's point is in, and one from before the plugin was switched on again must not count.
    const ended = endedAt.get(plugin);
    if (!watches.has(plugin) && ended !== undefined && point.at <= ended) return;
    const budget = effectiveBudget(deps.defaults, await deps.overrides(plugin));
    const watch = watches.get(plugin) ?? { points: [], overBudgetSince: null, reported: false };
    watches.set(plugin, watch);
    watch.points = lastWindow(withPoint(watch.points, point), budget.windowMs);
    if (breaches(watch.points, budget).length === 0) {
      watch.overBudgetSince = null;
      watch.reported = false;
      return;
    }
    watch.overBudgetSince ??= new Date(Date.parse(point.at) - point.intervalMs).toISOString();
    const sustained = sustainedBreaches(watch.points, budget);
    if (sustained.length === 0 || watch.reported) return;
    const reason = sustained.map((b) => b.message).join('; ');
    if (budget.autoDisable) {
      await deps.disable(plugin, reason);
      endWindow(plugin);
    } else {
      await deps.report(plugin, reason);
      watch.reported = true;
    }
  }

  return {
    judge(plugin, point) {
      queue = queue.then(() => judgeNow(plugin, point)).catch((error: unknown) => deps.failed(error, plugin));
      return queue;
    },
    current(plugin) {
      const watch = watches.get(plugin);
      return { points: [...(watch?.points ?? [])], overBudgetSince: watch?.overBudgetSince ?? null };
    },
  };
}
