import { randomUUID } from 'node:crypto';
import type { PluginBudgetDefaults } from '../../../shared/plugin-budgets.schema.ts';
import { pluginHealth } from '../../../shared/plugin-health.ts';
import type { Feature } from '../../context.ts';
import { pluginBackendsOf } from '../../sandbox/feature.ts';
import { frontendTelemetryOf } from '../frontend-telemetry.ts';
import { onGrid } from './cluster.ts';
import { createClusterHistory } from './cluster-history.ts';
import { createClusterPointStore } from './cluster-store.ts';
import { residentMb } from './memory.ts';
import { everyOnGrid, samplePoints, type MetricsListener, type MetricsSource, type PluginPoint } from './sampler.ts';
import { setPluginMetricsView } from './view.ts';

export interface PluginMetricsOptions {
  now?: () => Date;
  /** Overrides PLUGIN_METRICS_INTERVAL_MS. */
  intervalMs?: number;
  /**
   * Runs `tick` every `ms` with the time it is due; `everyOnGrid` by default. Tests pass a fake that calls it
   * without a time (`now` then) and await each tick.
   */
  every?: (ms: number, tick: (at?: Date) => Promise<void>) => () => void;
}

/**
 * The plugins' cost history: every PLUGIN_METRICS_INTERVAL_MS one point per installed plugin (backend calls,
 * errors, latency, restarts, memory; frontend loads and failures). Each server stores its points in the database
 * and reads back the others': the history, health and budgets are the whole cluster's, PLUGIN_METRICS_KEEP points
 * kept. Read through `pluginMetricsOf(registry)`; starts after the plugin backends feature.
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
      const installed = () => plugins.list().map((p) => p.name);
      const history = createClusterHistory({
        store: createClusterPointStore(context.db),
        // Its heartbeat row names it in diagnostics; an app started without the runs feature has none.
        server: context.services.runs.serverId() ?? randomUUID(),
        intervalMs,
        keep: metricsKeep,
      });
      await history.load(installed(), now());
      const listeners = new Set<MetricsListener>();

      const source: MetricsSource = {
        plugins: installed,
        backendWindow: (name) =>
          plugins.get(name)?.manifest?.backend ? pluginBackendsOf(plugins)?.takeWindow(name) : undefined,
        memoryMb(name) {
          const pid = pluginBackendsOf(plugins)?.pid(name);
          return pid === undefined ? null : residentMb(pid);
        },
        frontendWindow: (name) =>
          frontendTelemetryOf(plugins)?.takeWindow(name) ?? { loads: 0, loadSamples: [], errors: 0 },
      };
      async function tick(at = now()): Promise<void> {
        const taken = samplePoints(source, at, intervalMs).map(({ plugin, point }) => ({
          plugin,
          point: onGrid(point),
        }));
        let cluster: PluginPoint[];
        try {
          cluster = await history.record(taken, installed());
        } catch (error) {
          // The database away for a moment: this interval is missing from the history, the next one is not.
          logger.warn({ err: error, component: 'plugin-metrics' }, 'storing the cost history points failed');
          return;
        }
        for (const { plugin, point } of cluster) {
          for (const listener of listeners) {
            try {
              listener(plugin, point);
            } catch (error) {
              logger.error({ err: error, plugin, component: 'plugin-metrics' }, 'a cost history listener failed');
            }
          }
        }
      }
      setPluginMetricsView(plugins, {
        intervalMs,
        points: history.points,
        subscribe(listener) {
          listeners.add(listener);
          return () => listeners.delete(listener);
        },
        figures: (name) => history.figures(name, now()),
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
            rejected: record.rejected !== undefined,
            backend: pluginBackendsOf(plugins)?.state(name) ?? { state: 'none' },
            points: history.points(name),
            budget: own,
            windowMs: own.windowMs,
            now: now(),
          });
        },
      });
      const stop = (options.every ?? everyOnGrid)(intervalMs, tick);
      return {
        async close() {
          stop();
          setPluginMetricsView(plugins, undefined);
        },
      };
    },
  };
}
