import type { PluginRegistry } from '../registry.ts';

/**
 * Counts a plugin's operations in flight (calls, hooks, runs), so removing it can be refused (409) until they
 * finish. Work that knows its own span calls `begin`; a component that already counts (the sandbox's pending
 * calls) adds a `source`.
 */
export interface InFlightTracker {
  /** Marks one operation of `name` as started; call the returned function when it ends (any number of times). */
  begin(name: string): () => void;
  /** Adds a counter consulted by `count`; returns the function that removes it. */
  addSource(source: (name: string) => number): () => void;
  /** Operations of `name` in flight now, from `begin` and every source. */
  count(name: string): number;
}

export function createInFlightTracker(): InFlightTracker {
  const running = new Map<string, number>();
  const sources = new Set<(name: string) => number>();
  return {
    begin(name) {
      running.set(name, (running.get(name) ?? 0) + 1);
      let ended = false;
      return () => {
        if (ended) return;
        ended = true;
        const left = (running.get(name) ?? 1) - 1;
        if (left > 0) running.set(name, left);
        else running.delete(name);
      };
    },
    addSource(source) {
      sources.add(source);
      return () => sources.delete(source);
    },
    count(name) {
      let total = running.get(name) ?? 0;
      for (const source of sources) total += source(name);
      return total;
    },
  };
}

const trackers = new WeakMap<PluginRegistry, InFlightTracker>();

/**
 * The in-flight tracker of the app that owns `registry` (one per app, so tests with several apps stay apart).
 *
 * @example
 * const done = pluginsInFlight(context.plugins).begin('model-notes');
 * try { await callBackend(); } finally { done(); }
 */
export function pluginsInFlight(registry: PluginRegistry): InFlightTracker {
  let tracker = trackers.get(registry);
  if (!tracker) {
    tracker = createInFlightTracker();
    trackers.set(registry, tracker);
  }
  return tracker;
}
