import type { PluginBudgetDefaults } from '../../../shared/plugin-budgets.schema.ts';
import type { ClusterFigures } from '../../../shared/plugin-diagnostics.schema.ts';
import type { MetricsPoint, PluginHealth } from '@dbt-workbench/plugin-sdk/contracts/plugin-metrics.schema';
import type { PluginRegistry } from '../registry.ts';
import type { MetricsListener } from './sampler.ts';

/** What the rest of the app may read of the plugins' cost history (diagnostics, the plugin list, budgets). */
export interface PluginMetricsView {
  /** How often a point is taken. */
  readonly intervalMs: number;
  /** The plugin's kept points over every server on the database, oldest first; empty for an unknown plugin. */
  points(name: string): readonly MetricsPoint[];
  /**
   * Follows the cluster's points of every plugin: each interval's once this server stored its own, and again one
   * interval later with every server's in (a point with an `at` seen before replaces it). Returns what unsubscribes.
   */
  subscribe(listener: MetricsListener): () => void;
  /** Each server's figures of the plugin over the kept history, and the total. */
  figures(name: string): Promise<ClusterFigures>;
  /** Its health at a glance from its state and its recent points against its budget; undefined if not installed. */
  health(name: string): PluginHealth | undefined;
  /**
   * Where `health` reads one plugin's budget (per-plugin overrides); the settings' budget (PLUGIN_BUDGET_*) for a
   * plugin it answers undefined for, and without one. Returns what unregisters it.
   */
  registerBudgetSource(budgetFor: (name: string) => PluginBudgetDefaults | undefined): () => void;
}

const views = new WeakMap<PluginRegistry, PluginMetricsView>();

/**
 * The cost history of the app that owns `registry` (one per app, so tests with several apps stay apart);
 * undefined before the feature starts or with the plugin system off.
 *
 * @example
 * pluginMetricsOf(context.plugins)?.subscribe((plugin, point) => judge(plugin, point));
 */
export function pluginMetricsOf(registry: PluginRegistry): PluginMetricsView | undefined {
  return views.get(registry);
}

/** Publishes (or, with undefined, withdraws) the view of the app that owns `registry`. */
export function setPluginMetricsView(registry: PluginRegistry, view: PluginMetricsView | undefined): void {
  if (view) views.set(registry, view);
  else views.delete(registry);
}
