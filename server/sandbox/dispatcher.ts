/** One plugin's part in delivering an event. */
export interface EventSubscriber {
  plugin: string;
  /** Length of the longest chain of dependencies below the plugin: 0 without any. Lower goes first. */
  level: number;
  /** Among plugins of one level, lower goes first; equal ones run at the same time. */
  priority: number;
  /** Runs the plugin's handlers of this event, in registration order; throws on failure or timeout. */
  deliver(): Promise<void>;
}

export interface DeliveryOutcome {
  plugin: string;
  ok: boolean;
  error?: string;
  ms: number;
}

/** Groups subscribers into waves: dependencies first, then priority; a wave runs concurrently. Pure. */
export function deliveryWaves<T extends Pick<EventSubscriber, 'level' | 'priority'>>(subscribers: readonly T[]): T[][] {
  const sorted = [...subscribers].sort((a, b) => a.level - b.level || a.priority - b.priority);
  const waves: T[][] = [];
  for (const s of sorted) {
    const last = waves.at(-1);
    if (last && last[0]!.level === s.level && last[0]!.priority === s.priority) last.push(s);
    else waves.push([s]);
  }
  return waves;
}

/** The dependency level of each plugin (0 without dependencies). Unknown dependencies count as level 0. Pure. */
export function dependencyLevels(dependencies: ReadonlyMap<string, readonly string[]>): Map<string, number> {
  const levels = new Map<string, number>();
  const visiting = new Set<string>();
  const level = (name: string): number => {
    const known = levels.get(name);
    if (known !== undefined) return known;
    if (visiting.has(name)) return 0; // a cycle: the registry refuses those, so this is only a guard
    visiting.add(name);
    const deps = dependencies.get(name) ?? [];
    const value = deps.length === 0 ? 0 : 1 + Math.max(...deps.map(level));
    visiting.delete(name);
    levels.set(name, value);
    return value;
  };
  for (const name of dependencies.keys()) level(name);
  return levels;
}

export interface Dispatcher {
  /**
   * Delivers one event. Each plugin gets its events in the order they were dispatched; within one event,
   * waves follow `deliveryWaves`. A failure or timeout is returned in the outcomes and never stops the others.
   */
  dispatch(subscribers: readonly EventSubscriber[]): Promise<DeliveryOutcome[]>;
}

export function createDispatcher(): Dispatcher {
  const tails = new Map<string, Promise<unknown>>();

  async function timed(subscriber: EventSubscriber): Promise<DeliveryOutcome> {
    const started = performance.now();
    try {
      await subscriber.deliver();
      return { plugin: subscriber.plugin, ok: true, ms: performance.now() - started };
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      return { plugin: subscriber.plugin, ok: false, error: message, ms: performance.now() - started };
    }
  }

  return {
    dispatch(subscribers) {
      let gate: Promise<unknown> = Promise.resolve();
      const runs: Promise<DeliveryOutcome>[] = [];
      for (const wave of deliveryWaves(subscribers)) {
        const waveRuns = wave.map((subscriber) => {
          const previous = tails.get(subscriber.plugin);
          const waitFor = previous ? Promise.all([previous, gate]) : gate;
          const run = waitFor.then(() => timed(subscriber));
          tails.set(subscriber.plugin, run);
          void run.then(() => {
            if (tails.get(subscriber.plugin) === run) tails.delete(subscriber.plugin);
          });
          return run;
        });
        runs.push(...waveRuns);
        gate = Promise.all(waveRuns);
      }
      return Promise.all(runs);
    },
  };
}
