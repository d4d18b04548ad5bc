import { MetricsPoint } from '@dbt-workbench/plugin-sdk/contracts/plugin-metrics.schema';
import type { Database } from '../../db/database.ts';

/** A point of one plugin taken by one server. */
export interface ServerPoint {
  server: string;
  plugin: string;
  point: MetricsPoint;
}

/** A server on the database, as its heartbeat row says (server/db/server-presence.ts). */
export interface ServerRow {
  id: string;
  host: string;
  pid: number;
  seenAt: string;
}

interface PointRow {
  server: string;
  plugin: string;
  point: string;
}

const toServerPoint = (row: PointRow): ServerPoint => ({
  server: row.server,
  plugin: row.plugin,
  point: MetricsPoint.parse(JSON.parse(row.point)),
});

/** Every server's cost history points in the database: what budgets and diagnostics add up over the cluster. */
export function createClusterPointStore(db: Database) {
  return {
    /** Stores this server's points of one interval, and forgets every server's points older than `keepFrom`. */
    async record(server: string, points: readonly { plugin: string; point: MetricsPoint }[], keepFrom: string) {
      await db.transaction(async (tx) => {
        for (const { plugin, point } of points) {
          await tx.run(
            'INSERT INTO plugin_metric_points (server, plugin, at, point) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING',
            [server, plugin, point.at, JSON.stringify(point)],
          );
        }
        await tx.run('DELETE FROM plugin_metric_points WHERE at < ?', [keepFrom]);
      });
    },

    /** Every server's points ending at or after `from`, of every plugin. */
    async since(from: string): Promise<ServerPoint[]> {
      const rows = await db.all<PointRow>('SELECT server, plugin, point FROM plugin_metric_points WHERE at >= ?', [
        from,
      ]);
      return rows.map(toServerPoint);
    },

    /** Every server's points of one plugin ending at or after `from`, oldest first. */
    async ofPlugin(plugin: string, from: string): Promise<ServerPoint[]> {
      const rows = await db.all<PointRow>(
        'SELECT server, plugin, point FROM plugin_metric_points WHERE plugin = ? AND at >= ? ORDER BY at',
        [plugin, from],
      );
      return rows.map(toServerPoint);
    },

    /** The servers with a heartbeat row: running, or killed and not yet swept. */
    async servers(): Promise<ServerRow[]> {
      const rows = await db.all<{ id: string; host: string; pid: number; seen_at: string }>(
        'SELECT id, host, pid, seen_at FROM servers',
      );
      return rows.map((r) => ({ id: r.id, host: r.host, pid: r.pid, seenAt: r.seen_at }));
    },
  };
}

export type ClusterPointStore = ReturnType<typeof createClusterPointStore>;
