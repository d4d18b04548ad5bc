import type { Logger } from 'pino';
import {
  PluginLogQuery,
  type PluginLogEvent,
  type PluginLogLevel,
  type PluginLogLine,
  type PluginLogPage,
  type PluginLogQueryInput,
  type PluginLogSource,
} from '../../../shared/plugin-logs.schema.ts';
import type { Database } from '../../db/database.ts';
import { createFloodLimit, type DroppedWindow } from './flood-limit.ts';
import { logQuerySql, type LogRow } from './query-sql.ts';

/** PLUGIN_LOG_MAX_KB (in bytes), PLUGIN_LOG_MAX_AGE_HOURS (in ms) and PLUGIN_LOG_LINES_PER_SECOND. */
export interface LogRetention {
  maxBytes: number;
  maxAgeMs: number;
  linesPerSecond: number;
}

export interface PluginLogsOptions {
  db: Database;
  retention: LogRetention;
  now?: () => Date;
  /** The server's log: kept lines of plugins (not `lifecycle` ones, logged where they are decided) go there too. */
  logger?: Logger;
  /** How often buffered lines are written, in one transaction; 200 ms by default. */
  flushEveryMs?: number;
  /** How often lines older than the age limit are deleted; every minute by default. */
  pruneEveryMs?: number;
}

/** Writes a line to a plugin's log: what backends print, and what the server decides about the plugin. */
export type PluginLogWrite = (
  plugin: string,
  level: PluginLogLevel,
  source: PluginLogSource,
  message: string,
  data?: Record<string, unknown>,
) => void;

/**
 * Every plugin's log: lines buffered and written in batches, kept within a size and an age per plugin, flood
 * limited per plugin (`lifecycle` lines are the server's own and never dropped), and streamed to listeners.
 */
export interface PluginLogs {
  write: PluginLogWrite;
  /** One page of a plugin's lines, newest first, after writing what is buffered. */
  query(plugin: string, query?: PluginLogQueryInput): Promise<PluginLogPage>;
  /** Calls `listener` with each new line of the plugin and each growth of its dropped count; returns the disposer. */
  subscribe(plugin: string, listener: (event: PluginLogEvent) => void): () => void;
  /** Lines of the plugin dropped by the flood limit since start. */
  dropped(plugin: string): number;
  /** Writes the buffered lines now. */
  flush(): Promise<void>;
  /** Reports pending drops, writes what is buffered and stops; later writes are ignored. */
  close(): Promise<void>;
}

interface Pending {
  plugin: string;
  line: PluginLogLine;
  data: string | null;
  bytes: number;
}

const MAX_MESSAGE = 4000;
const MAX_DATA = 8000;
const ROWS_PER_INSERT = 50;
const COLUMNS = '(plugin, seq, at, level, source, message, data, bytes)';

function dataJson(data: Record<string, unknown> | undefined): string | null {
  if (data === undefined) return null;
  let json: string;
  try {
    json = JSON.stringify(data);
  } catch {
    return JSON.stringify({ unserializable: true });
  }
  return json.length > MAX_DATA ? JSON.stringify({ truncated: true, bytes: Buffer.byteLength(json) }) : json;
}

function lineOf(row: LogRow): PluginLogLine {
  return {
    seq: row.seq,
    at: row.at,
    level: row.level as PluginLogLevel,
    source: row.source as PluginLogSource,
    message: row.message,
    ...(row.data === null ? {} : { data: JSON.parse(row.data) as Record<string, unknown> }),
  };
}

/** Opens the plugin logs kept in `db` (table `plugin_logs`) and starts writing and pruning them. */
export async function openPluginLogs(options: PluginLogsOptions): Promise<PluginLogs> {
  const { db, retention, logger } = options;
  const now = options.now ?? (() => new Date());
  const pruneEveryMs = options.pruneEveryMs ?? 60_000;
  const limit = createFloodLimit(retention.linesPerSecond);
  const seqs = new Map<string, number>();
  const kept = new Map<string, number>();
  const listeners = new Map<string, Set<(event: PluginLogEvent) => void>>();
  let buffer: Pending[] = [];
  let writing: Promise<void> = Promise.resolve();
  let lastPrune = Number.NEGATIVE_INFINITY;
  let closed = false;

  async function countKept(handle: Database): Promise<void> {
    const rows = await handle.all<{ plugin: string; seq: number; bytes: number }>(
      'SELECT plugin, MAX(seq) AS seq, SUM(bytes) AS bytes FROM plugin_logs GROUP BY plugin',
    );
    kept.clear();
    for (const r of rows) {
      kept.set(r.plugin, r.bytes);
      seqs.set(r.plugin, Math.max(seqs.get(r.plugin) ?? 0, r.seq));
    }
  }
  await countKept(db);

  const emit = (plugin: string, event: PluginLogEvent) => {
    for (const listener of listeners.get(plugin) ?? []) {
      try {
        listener(event);
      } catch (error) {
        logger?.error({ err: error, plugin }, 'a plugin log listener failed');
      }
    }
  };

  function append(
    at: Date,
    plugin: string,
    level: PluginLogLevel,
    source: PluginLogSource,
    text: string,
    data?: Record<string, unknown>,
  ): void {
    const seq = (seqs.get(plugin) ?? 0) + 1;
    seqs.set(plugin, seq);
    const message = text.length > MAX_MESSAGE ? `${text.slice(0, MAX_MESSAGE)}…` : text;
    const json = dataJson(data);
    const line: PluginLogLine = {
      seq,
      at: at.toISOString(),
      level,
      source,
      message,
      ...(json === null ? {} : { data: JSON.parse(json) as Record<string, unknown> }),
    };
    buffer.push({ plugin, line, data: json, bytes: Buffer.byteLength(message) + (json ? Buffer.byteLength(json) : 0) });
    emit(plugin, { type: 'line', line });
  }

  function reportDropped(window: DroppedWindow, at: Date): void {
    append(
      at,
      window.plugin,
      'warn',
      'lifecycle',
      `${window.dropped.toLocaleString('en-US')} lines dropped (over ${retention.linesPerSecond} lines/s)`,
      { dropped: window.dropped },
    );
    emit(window.plugin, { type: 'dropped', dropped: limit.dropped(window.plugin) });
  }

  /** Deletes a plugin's oldest lines until what it keeps fits the size limit. */
  async function trim(tx: Database, plugin: string): Promise<void> {
    const excess = (kept.get(plugin) ?? 0) - retention.maxBytes;
    let freed = 0;
    let cutoff = 0;
    while (freed < excess) {
      const rows = await tx.all<{ seq: number; bytes: number }>(
        'SELECT seq, bytes FROM plugin_logs WHERE plugin = ? AND seq > ? ORDER BY seq LIMIT 500',
        [plugin, cutoff],
      );
      if (rows.length === 0) break;
      for (const row of rows) {
        freed += row.bytes;
        cutoff = row.seq;
        if (freed >= excess) break;
      }
    }
    if (cutoff === 0) return;
    await tx.run('DELETE FROM plugin_logs WHERE plugin = ? AND seq <= ?', [plugin, cutoff]);
    kept.set(plugin, (kept.get(plugin) ?? 0) - freed);
  }

  async function writeBuffered(): Promise<void> {
    const batch = buffer;
    buffer = [];
    const nowMs = now().getTime();
    const pruneDue = nowMs - lastPrune >= pruneEveryMs;
    if (batch.length === 0 && !pruneDue) return;
    try {
      await db.transaction(async (tx) => {
        for (let i = 0; i < batch.length; i += ROWS_PER_INSERT) {
          const rows = batch.slice(i, i + ROWS_PER_INSERT);
          await tx.run(
            `INSERT INTO plugin_logs ${COLUMNS} VALUES ${rows.map(() => '(?, ?, ?, ?, ?, ?, ?, ?)').join(', ')}`,
            rows.flatMap((p) => [
              p.plugin,
              p.line.seq,
              p.line.at,
              p.line.level,
              p.line.source,
              p.line.message,
              p.data,
              p.bytes,
            ]),
          );
        }
        const touched = new Set<string>();
        for (const p of batch) {
          kept.set(p.plugin, (kept.get(p.plugin) ?? 0) + p.bytes);
          touched.add(p.plugin);
        }
        for (const plugin of touched) if ((kept.get(plugin) ?? 0) > retention.maxBytes) await trim(tx, plugin);
        if (pruneDue) {
          lastPrune = nowMs;
          const cutoff = new Date(nowMs - retention.maxAgeMs).toISOString();
          const { changes } = await tx.run('DELETE FROM plugin_logs WHERE at < ?', [cutoff]);
          if (changes > 0) await countKept(tx);
        }
      });
    } catch (error) {
      logger?.error({ err: error, lines: batch.length }, 'plugin log lines could not be written');
      await countKept(db).catch(() => {});
    }
  }

  const flush = (): Promise<void> => {
    writing = writing.then(writeBuffered);
    return writing;
  };

  const timer = setInterval(() => {
    const at = now();
    for (const window of limit.ended(at.getTime())) reportDropped(window, at);
    if (buffer.length > 0 || at.getTime() - lastPrune >= pruneEveryMs) void flush();
  }, options.flushEveryMs ?? 200);
  timer.unref();

  return {
    write(plugin, level, source, message, data) {
      if (closed) return;
      // One reading of the clock: the second a line is counted in is the second it is stamped with.
      const at = now();
      if (source !== 'lifecycle') {
        const admission = limit.admit(plugin, at.getTime());
        if (admission.ended) reportDropped(admission.ended, at);
        if (!admission.keep) return;
        logger?.[level]({ plugin, source, ...(data ? { data } : {}) }, message);
      }
      append(at, plugin, level, source, message, data);
    },
    async query(plugin, input = {}) {
      const query = PluginLogQuery.parse(input);
      await flush();
      const { sql, params } = logQuerySql(plugin, query);
      const rows = await db.all<LogRow>(sql, params);
      const lines = rows.slice(0, query.limit).map(lineOf);
      return {
        lines,
        dropped: limit.dropped(plugin),
        keptBytes: kept.get(plugin) ?? 0,
        retention: { ...retention },
        nextBefore: rows.length > query.limit ? lines[lines.length - 1]!.seq : null,
      };
    },
    subscribe(plugin, listener) {
      let set = listeners.get(plugin);
      if (!set) listeners.set(plugin, (set = new Set()));
      set.add(listener);
      return () => {
        set.delete(listener);
        if (set.size === 0 && listeners.get(plugin) === set) listeners.delete(plugin);
      };
    },
    dropped: (plugin) => limit.dropped(plugin),
    flush,
    async close() {
      if (closed) return;
      clearInterval(timer);
      const at = now();
      for (const window of limit.ended(Number.POSITIVE_INFINITY)) reportDropped(window, at);
      closed = true;
      listeners.clear();
      await flush();
    },
  };
}
