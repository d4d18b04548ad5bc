import type { PluginBudgetDefaults } from '../../../shared/plugin-budgets.schema.ts';
import { pluginHealth } from '../../../shared/plugin-health.ts';
import type { Feature } from '../../context.ts';
import { pluginBackendsOf } from '../../sandbox/feature.ts';
import { frontendTelemetryOf } from '../frontend-telemetry.ts';
import { residentMb } from './memory.ts';
import { createMetricsSampler, type MetricsSamplerOptions } from './sampler.ts';
import { setPluginMetricsView } from './view.ts';

export interface PluginMetricsOptions {
  now?: () => Date;
  /** Overrides PLUGIN_METRICS_INTERVAL_MS. */
  intervalMs?: number;
  every?: MetricsSamplerOptions['every'];
}

/**
 * The plugins' cost history: every PLUGIN_METRICS_INTERVAL_MS one point per installed plugin (backend calls,
 * errors, latency, restarts, memory; frontend loads and failures), PLUGIN_METRICS_KEEP kept in memory, and each
 * plugin's health from them. Read through `pluginMetricsOf(registry)`; starts after the plugin backends feature.
 */
export function createPluginMetricsFeature(options: PluginMetricsOptions = {}): Feature {
  return {
    name: 'plugin-metrics',
    async start(_app, context) {
      const { settings, plugins, logger } = context;
      if (!settings.pluginSystemEnabled) return;
      const { metricsKeep, budget } = settings.pluginOperations;
      const intervalMs = options.intervalMs ?? settings.pluginOperations.metricsIntervalMs;
      const now = options.now ?? (() => new Date());
      let budgetSource: ((name: string) => PluginBudgetDefaults | undefined) | undefined;
      const budgetFor = (name: string) => budgetSource?.(name) ?? budget;
      const sampler = createMetricsSampler({
        intervalMs,
        keep: metricsKeep,
        now,
        ...(options.every ? { every: options.every } : {}),
        source: {
          plugins: () => plugins.list().map((p) => p.name),
          backendWindow: (name) =>
            plugins.get(name)?.manifest?.backend ? pluginBackendsOf(plugins)?.takeWindow(name) : undefined,
          memoryMb(name) {
            const pid = pluginBackendsOf(plugins)?.pid(name);
            return pid === undefined ? null : residentMb(pid);
          },
          frontendWindow: (name) =>
            frontendTelemetryOf(plugins)?.takeWindow(name) ?? { loads: 0, loadSamples: [], errors: 0 },
        },
        listenerFailed: (error, plugin) =>
          logger.error({ err: error, plugin, component: 'plugin-metrics' }, 'a cost history listener failed'),
      });
      setPluginMetricsView(plugins, {
        intervalMs,
        points: sampler.points,
        subscribe: sampler.subscribe,
        registerBudgetSource(source) {
          budgetSource = source;
          return () => {
            if (budgetSource === source) budgetSource = undefined;
          };
        },
        health(name) {
          const record = plugins.get(name);
          if (!record) return undefined;
          const own = budgetFor(name);
          return pluginHealth({
            state: record.state,
            backend: pluginBackendsOf(plugins)?.state(name) ?? { state: 'none' },
            points: sampler.points(name),
            budget: own,
            windowMs: own.windowMs,
            now: now(),
          });
        },
      });
      const stop = sampler.start();
      return {
        async close() {
          stop();
          setPluginMetricsView(plugins, undefined);
        },
      };
    },
  };
}
