import os from 'node:os';
import type { MetricsPoint } from '@dbt-workbench/plugin-sdk/contracts/plugin-metrics.schema';
import type { ClusterFigures, ReplicaFigures } from '../../../shared/plugin-diagnostics.schema.ts';
import { GONE_AFTER_MS } from '../../db/server-presence.ts';
import { figuresOf, mergeHistory, totalOf } from './cluster.ts';
import type { ClusterPointStore, ServerPoint } from './cluster-store.ts';
import type { PluginPoint } from './sampler.ts';

/** Every server's cost history of every plugin, added up: what health, budgets and diagnostics read. */
export interface ClusterHistory {
  /** The plugin's history over every server on the database, oldest first, at most `keep` points. */
  points(plugin: string): readonly MetricsPoint[];
  /** Reads the kept history of the installed plugins from the database (at start: it survives restarts). */
  load(installed: readonly string[], now: Date): Promise<void>;
  /**
   * Stores this server's points of one interval (all `at` the same, on the grid), then reads back every server's
   * points of that interval and the one before (servers sample a few ms apart, so the one before is complete
   * now) and answers the cluster's points of both, per installed plugin, oldest first.
   */
  record(taken: readonly PluginPoint[], installed: readonly string[]): Promise<PluginPoint[]>;
  /** Each server's figures of the plugin over the kept history before `now`, and the total. */
  figures(plugin: string, now: Date): Promise<ClusterFigures>;
}

const iso = (ms: number) => new Date(ms).toISOString();

function byPlugin(points: readonly ServerPoint[]): Map<string, MetricsPoint[]> {
  const grouped = new Map<string, MetricsPoint[]>();
  for (const { plugin, point } of points) grouped.set(plugin, [...(grouped.get(plugin) ?? []), point]);
  return grouped;
}

/**
 * The cluster's history kept in memory (so a plugin list's health badges need no query) and in the database (so
 * every server adds up the same figures, and they survive a restart). `server` is this server's id among those on
 * the database.
 */
export function createClusterHistory(deps: {
  store: ClusterPointStore;
  server: string;
  intervalMs: number;
  keep: number;
}): ClusterHistory {
  const { store, server, intervalMs, keep } = deps;
  const histories = new Map<string, MetricsPoint[]>();

  function update(plugin: string, merged: readonly MetricsPoint[]): void {
    const byAt = new Map((histories.get(plugin) ?? []).map((p) => [p.at, p]));
    for (const point of merged) byAt.set(point.at, point);
    histories.set(
      plugin,
      [...byAt.keys()]
        .sort()
        .slice(-keep)
        .map((at) => byAt.get(at)!),
    );
  }

  return {
    points: (plugin) => [...(histories.get(plugin) ?? [])],

    async load(installed, now) {
      const stored = byPlugin(await store.since(iso(now.getTime() - keep * intervalMs)));
      for (const plugin of installed) update(plugin, mergeHistory(stored.get(plugin) ?? []));
    },

    async record(taken, installed) {
      const at = taken[0]?.point.at;
      if (at === undefined) return [];
      const end = Date.parse(at);
      await store.record(server, taken, iso(end - keep * intervalMs));
      const recent = byPlugin(await store.since(iso(end - intervalMs)));
      const wanted = new Set(installed);
      for (const plugin of histories.keys()) if (!wanted.has(plugin)) histories.delete(plugin);
      return installed.flatMap((plugin) => {
        const merged = mergeHistory(recent.get(plugin) ?? []);
        update(plugin, merged);
        return merged.map((point) => ({ plugin, point }));
      });
    },

    async figures(plugin, now) {
      const spanMs = keep * intervalMs;
      const [points, servers] = await Promise.all([
        store.ofPlugin(plugin, iso(now.getTime() - spanMs)),
        store.servers(),
      ]);
      const aliveFrom = iso(now.getTime() - GONE_AFTER_MS);
      const rows = new Map(servers.map((s) => [s.id, s]));
      const ids = [...new Set([server, ...servers.map((s) => s.id), ...points.map((p) => p.server)])];
      const replicas = ids.map((id): ReplicaFigures => {
        const row = rows.get(id);
        const current = id === server;
        return {
          server: id,
          host: row?.host ?? (current ? os.hostname() : null),
          pid: row?.pid ?? (current ? process.pid : null),
          seenAt: row?.seenAt ?? null,
          alive: current || (row !== undefined && row.seenAt >= aliveFrom),
          current,
          figures: figuresOf(points.filter((p) => p.server === id).map((p) => p.point)),
        };
      });
      // This server first, then the others by host and id.
      replicas.sort(
        (a, b) =>
          Number(b.current) - Number(a.current) ||
          (a.host ?? '').localeCompare(b.host ?? '') ||
          a.server.localeCompare(b.server),
      );
      return { spanMs, replicas, total: totalOf(replicas) };
    },
  };
}
