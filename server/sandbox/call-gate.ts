/** Counts the calls in flight per plugin and lets at most a limit of them run at once. */
export interface CallGate {
  /** Takes a slot for one call: the function that gives it back (call it once), or `undefined` at the limit. */
  enter(plugin: string, limit: number): (() => void) | undefined;
  /** Calls of the plugin running now. */
  inFlight(plugin: string): number;
}

export function createCallGate(): CallGate {
  const running = new Map<string, number>();
  return {
    enter(plugin, limit) {
      const now = running.get(plugin) ?? 0;
      if (now >= limit) return undefined;
      running.set(plugin, now + 1);
      let released = false;
      return () => {
        if (released) return;
        released = true;
        const left = (running.get(plugin) ?? 1) - 1;
        if (left > 0) running.set(plugin, left);
        else running.delete(plugin);
      };
    },
    inFlight: (plugin) => running.get(plugin) ?? 0,
  };
}

/** How many calls a plugin may have in flight: the server's limit, or the manifest's when that is lower. */
export function concurrencyLimit(serverLimit: number, manifestLimit: number | undefined): number {
  return manifestLimit === undefined ? serverLimit : Math.min(serverLimit, manifestLimit);
}
