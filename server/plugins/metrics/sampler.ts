import type { MetricsPoint } from '@dbt-workbench/plugin-sdk/contracts/plugin-metrics.schema';
import type { StatsWindow } from '../../sandbox/stats.ts';
import { toPoint, type FrontendWindow } from './point.ts';

/** Called with every new point of every plugin. */
export type MetricsListener = (plugin: string, point: MetricsPoint) => void;

/** A plugin's point, one interval of it. */
export interface PluginPoint {
  plugin: string;
  point: MetricsPoint;
}

/** Where the figures of one point come from. */
export interface MetricsSource {
  /** The installed plugins. */
  plugins(): readonly string[];
  /** What the plugin's backend did since the previous take; undefined without a backend. */
  backendWindow(name: string): StatsWindow | undefined;
  memoryMb(name: string): number | null;
  frontendWindow(name: string): FrontendWindow;
}

/** Takes one point per installed plugin of what it did since the previous take, ending `at`. */
export function samplePoints(source: MetricsSource, at: Date, intervalMs: number): PluginPoint[] {
  return source.plugins().map((plugin) => ({
    plugin,
    point: toPoint({
      at,
      intervalMs,
      backend: source.backendWindow(plugin),
      memoryMb: source.memoryMb(plugin),
      frontend: source.frontendWindow(plugin),
    }),
  }));
}

/**
 * Runs `tick` at every multiple of `ms` on the wall clock (unref'd), with that time, and returns what stops it: the
 * servers on one database then sample the same intervals, whose points add up (see cluster.ts).
 */
export function everyOnGrid(ms: number, tick: (at: Date) => void): () => void {
  const nextOnGrid = () => Math.floor(Date.now() / ms) * ms + ms;
  let due = nextOnGrid();
  let timer: NodeJS.Timeout;
  const schedule = () => {
    timer = setTimeout(
      () => {
        const at = due;
        // Never the same time twice (a timer may fire a millisecond early), and none missed but those a tick late
        // by a whole interval has passed.
        due = Math.max(at + ms, nextOnGrid());
        schedule();
        tick(new Date(at));
      },
      Math.max(0, due - Date.now()),
    );
    timer.unref();
  };
  schedule();
  return () => clearTimeout(timer);
}
