import { z } from 'zod';

/** How serious a plugin log line is, least first. */
export const PluginLogLevel = z.enum(['debug', 'info', 'warn', 'error']);
export type PluginLogLevel = z.infer<typeof PluginLogLevel>;

/**
 * Where a line came from: the backend's `host.log`, its stdout or stderr, or the server's own decisions about the
 * plugin (`lifecycle`: starts, crashes, restarts, state changes, dropped lines, budgets).
 */
export const PluginLogSource = z.enum(['logger', 'stdout', 'stderr', 'lifecycle']);
export type PluginLogSource = z.infer<typeof PluginLogSource>;

/** One kept line of a plugin's log. `seq` grows by one per line of that plugin. */
export const PluginLogLine = z.object({
  seq: z.number().int().positive(),
  /** ISO time the server received the line. */
  at: z.string(),
  level: PluginLogLevel,
  source: PluginLogSource,
  message: z.string(),
  data: z.record(z.string(), z.unknown()).optional(),
});
export type PluginLogLine = z.infer<typeof PluginLogLine>;

/** `GET /api/plugins/:name/logs?level=&q=&since=&until=&before=&limit=`: which lines, newest first. */
export const PluginLogQuery = z.object({
  /** This level and the more serious ones. */
  level: PluginLogLevel.optional(),
  /** Text the message or the data contains, ignoring case. */
  q: z.string().min(1).max(200).optional(),
  /** ISO times: only lines received at or after `since`, at or before `until`. */
  since: z.iso.datetime({ offset: true }).optional(),
  until: z.iso.datetime({ offset: true }).optional(),
  /** Only lines older than this `seq` (the previous page's `nextBefore`). */
  before: z.coerce.number().int().positive().optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});
export type PluginLogQuery = z.infer<typeof PluginLogQuery>;
/** A query as callers write it: every field optional. */
export type PluginLogQueryInput = z.input<typeof PluginLogQuery>;

/** The answer of `GET /api/plugins/:name/logs`. */
export const PluginLogPage = z.object({
  /** Newest first. */
  lines: z.array(PluginLogLine),
  /** Lines dropped by the flood limit since the server started. */
  dropped: z.number().int().min(0),
  /** Bytes of log text kept for the plugin now. */
  keptBytes: z.number().int().min(0),
  /** PLUGIN_LOG_MAX_KB, PLUGIN_LOG_MAX_AGE_HOURS and PLUGIN_LOG_LINES_PER_SECOND as the server applies them. */
  retention: z.object({
    maxBytes: z.number().int().positive(),
    maxAgeMs: z.number().int().positive(),
    linesPerSecond: z.number().int().positive(),
  }),
  /** The `before` of the next (older) page; null on the last page. */
  nextBefore: z.number().int().positive().nullable(),
});
export type PluginLogPage = z.infer<typeof PluginLogPage>;

/**
 * What `GET /api/plugins/:name/logs/stream` sends, as server-sent events named by `type`: each new line, and the
 * dropped count whenever it grows (and once on connect).
 */
export const PluginLogEvent = z.discriminatedUnion('type', [
  z.object({ type: z.literal('line'), line: PluginLogLine }),
  z.object({ type: z.literal('dropped'), dropped: z.number().int().min(0) }),
]);
export type PluginLogEvent = z.infer<typeof PluginLogEvent>;

/** The levels at or above `level`, for filters: `levelsFrom('warn')` is `['warn', 'error']`. */
export function levelsFrom(level: PluginLogLevel | undefined): PluginLogLevel[] {
  const all = PluginLogLevel.options;
  return level ? all.slice(all.indexOf(level)) : [...all];
}

/** Whether a line passes a level and text filter, as the list route applies them (for lines streamed live). */
export function lineMatches(line: PluginLogLine, filter: { level?: PluginLogLevel; q?: string }): boolean {
  if (!levelsFrom(filter.level).includes(line.level)) return false;
  if (!filter.q) return true;
  const text = `${line.message} ${line.data ? JSON.stringify(line.data) : ''}`.toLowerCase();
  return text.includes(filter.q.toLowerCase());
}
