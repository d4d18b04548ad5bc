import type { Logger } from 'pino';

type Level = 'info' | 'warn' | 'error';

/**
 * Writes plugin log lines into the server's log, tagged with the plugin, at most `perSecond` lines per plugin
 * per second; the lines dropped are counted in the next line that gets through.
 */
export function createLogLimiter(
  logger: Logger,
  perSecond: number,
): (plugin: string, level: Level, message: string, data?: Record<string, unknown>) => void {
  const windows = new Map<string, { second: number; count: number; dropped: number }>();
  return (plugin, level, message, data) => {
    const second = Math.floor(Date.now() / 1000);
    let w = windows.get(plugin);
    if (!w || w.second !== second) {
      const dropped = w?.dropped ?? 0;
      windows.set(plugin, (w = { second, count: 0, dropped }));
    }
    if (w.count >= perSecond) {
      w.dropped += 1;
      return;
    }
    w.count += 1;
    const extra = w.dropped > 0 ? { droppedLines: w.dropped } : {};
    w.dropped = 0;
    logger[level]({ plugin, ...(data ? { data } : {}), ...extra }, message);
  };
}
