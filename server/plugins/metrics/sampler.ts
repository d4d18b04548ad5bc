import type { MetricsPoint } from '@dbt-workbench/plugin-sdk/contracts/plugin-metrics.schema';
import type { StatsWindow } from '../../sandbox/stats.ts';
import { toPoint, type FrontendWindow } from './point.ts';

/** Called with every new point of every plugin. */
export type MetricsListener = (plugin: string, point: MetricsPoint) => void;

/** Where the figures of one point come from. */
export interface MetricsSource {
  /** The installed plugins; history of the others is forgotten. */
  plugins(): readonly string[];
  /** What the plugin's backend did since the previous take; undefined without a backend. */
  backendWindow(name: string): StatsWindow | undefined;
  memoryMb(name: string): number | null;
  frontendWindow(name: string): FrontendWindow;
}

export interface MetricsSamplerOptions {
  source: MetricsSource;
  intervalMs: number;
  /** Points kept per plugin; the oldest go first. */
  keep: number;
  now?: () => Date;
  /** Runs `tick` every `ms` and returns what stops it; `everyOnGrid` by default. Tests pass a fake. */
  every?: (ms: number, tick: () => void) => () => void;
  /** A listener threw; the others and the sampler go on. */
  listenerFailed?: (error: unknown, plugin: string) => void;
}

export interface MetricsSampler {
  /** Takes one point per installed plugin now (the timer calls this every `intervalMs`). */
  sample(): void;
  /** The plugin's kept points, oldest first. */
  points(name: string): readonly MetricsPoint[];
  /** Follows every new point; returns what unsubscribes. */
  subscribe(listener: MetricsListener): () => void;
  /** Starts the timer; returns what stops it. */
  start(): () => void;
}

/**
 * Runs `tick` at every multiple of `ms` on the wall clock (unref'd), with that time, and returns what stops it: the
 * servers on one database then sample the same intervals, whose points add up (see cluster.ts).
 */
export function everyOnGrid(ms: number, tick: (at: Date) => void): () => void {
  let timer: NodeJS.Timeout;
  const next = () => {
    const at = Math.floor(Date.now() / ms) * ms + ms;
    timer = setTimeout(() => {
      next();
      // The time it was due, not when it ran: a tick late on a busy machine still names its own interval.
      tick(new Date(at));
    }, at - Date.now());
    timer.unref();
  };
  next();
  return () => clearTimeout(timer);
}

/** Samples every installed plugin's cost into a bounded history in memory, one point per interval. */
export function createMetricsSampler(options: MetricsSamplerOptions): MetricsSampler {
  const { source, intervalMs, keep } = options;
  const now = options.now ?? (() => new Date());
  const histories = new Map<string, MetricsPoint[]>();
  const listeners = new Set<MetricsListener>();

  function sample(): void {
    const at = now();
    const installed = new Set(source.plugins());
    for (const name of histories.keys()) if (!installed.has(name)) histories.delete(name);
    for (const name of installed) {
      const point = toPoint({
        at,
        intervalMs,
        backend: source.backendWindow(name),
        memoryMb: source.memoryMb(name),
        frontend: source.frontendWindow(name),
      });
      const history = histories.get(name) ?? [];
      history.push(point);
      if (history.length > keep) history.splice(0, history.length - keep);
      histories.set(name, history);
      for (const listener of listeners) {
        try {
          listener(name, point);
        } catch (error) {
          options.listenerFailed?.(error, name);
        }
      }
    }
  }

  return {
    sample,
    points: (name) => [...(histories.get(name) ?? [])],
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    start: () => (options.every ?? everyOnGrid)(intervalMs, sample),
  };
}
