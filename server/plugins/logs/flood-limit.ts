/** A plugin's second that ended with lines dropped, and how many. */
export interface DroppedWindow {
  plugin: string;
  dropped: number;
}

/** Whether a line is kept; `ended` when this line starts a new second after one that dropped lines. */
export interface Admission {
  keep: boolean;
  ended?: DroppedWindow;
}

/**
 * Per-plugin flood limit: at most `perSecond` lines in each clock second; the rest are dropped and counted,
 * per second (reported once, when the second is over) and in total since the limit was made.
 */
export interface FloodLimit {
  admit(plugin: string, nowMs: number): Admission;
  /** Seconds that ended before `nowMs` with drops and were not reported yet; each is reported once. */
  ended(nowMs: number): DroppedWindow[];
  /** Lines of the plugin dropped since start. */
  dropped(plugin: string): number;
}

const KEEP: Admission = { keep: true };
const DROP: Admission = { keep: false };

export function createFloodLimit(perSecond: number): FloodLimit {
  const windows = new Map<string, { second: number; count: number; dropped: number }>();
  const totals = new Map<string, number>();
  return {
    admit(plugin, nowMs) {
      const second = Math.floor(nowMs / 1000);
      let w = windows.get(plugin);
      let ended: DroppedWindow | undefined;
      if (!w || w.second !== second) {
        if (w && w.dropped > 0) ended = { plugin, dropped: w.dropped };
        windows.set(plugin, (w = { second, count: 0, dropped: 0 }));
      }
      if (w.count >= perSecond) {
        w.dropped += 1;
        totals.set(plugin, (totals.get(plugin) ?? 0) + 1);
        return DROP;
      }
      w.count += 1;
      return ended ? { keep: true, ended } : KEEP;
    },
    ended(nowMs) {
      const second = Math.floor(nowMs / 1000);
      const out: DroppedWindow[] = [];
      for (const [plugin, w] of windows) {
        if (w.second === second || w.dropped === 0) continue;
        out.push({ plugin, dropped: w.dropped });
        windows.delete(plugin);
      }
      return out;
    },
    dropped: (plugin) => totals.get(plugin) ?? 0,
  };
}
