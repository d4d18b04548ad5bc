import { levelsFrom, type PluginLogQuery } from '../../../shared/plugin-logs.schema.ts';
import type { SqlValue } from '../../db/database.ts';

/** A row of `plugin_logs` as a query reads it. */
export interface LogRow {
  seq: number;
  at: string;
  level: string;
  source: string;
  message: string;
  data: string | null;
}

/**
 * The portable SQL of one page of a plugin's log, newest first: one row more than the limit, which tells whether
 * an older page exists. Times are compared as ISO strings in UTC, the form every line is stored in.
 */
export function logQuerySql(plugin: string, query: PluginLogQuery): { sql: string; params: SqlValue[] } {
  const where = ['plugin = ?'];
  const params: SqlValue[] = [plugin];
  if (query.level) {
    const levels = levelsFrom(query.level);
    where.push(`level IN (${levels.map(() => '?').join(', ')})`);
    params.push(...levels);
  }
  if (query.q) {
    where.push(`LOWER(message || ' ' || COALESCE(data, '')) LIKE ? ESCAPE '\\'`);
    params.push(`%${query.q.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
  }
  if (query.since) {
    where.push('at >= ?');
    params.push(new Date(query.since).toISOString());
  }
  if (query.until) {
    where.push('at <= ?');
    params.push(new Date(query.until).toISOString());
  }
  if (query.before !== undefined) {
    where.push('seq < ?');
    params.push(query.before);
  }
  params.push(query.limit + 1);
  return {
    sql: `SELECT seq, at, level, source, message, data FROM plugin_logs WHERE ${where.join(' AND ')} ORDER BY seq DESC LIMIT ?`,
    params,
  };
}
