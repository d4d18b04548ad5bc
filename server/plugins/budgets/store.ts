import { randomUUID } from 'node:crypto';
import type { AdminNotice, BudgetOverrides } from '../../../shared/plugin-budgets.schema.ts';
import type { Database } from '../../db/database.ts';

/** Why and when a plugin was disabled automatically. */
export interface AutoDisable {
  reason: string;
  at: string;
}

const noOverrides: BudgetOverrides = { errorRate: null, p95Ms: null, restarts: null };

/** Stored budgets overrides, automatic disables and notices to admins. Pass a transaction to commit with others. */
export function createBudgetStore(db: Database) {
  return {
    /** An admin's overrides of the plugin's budget; all `null` when there are none. */
    async overrides(plugin: string): Promise<BudgetOverrides> {
      const row = await db.get<{ error_rate: number | null; p95_ms: number | null; restarts: number | null }>(
        'SELECT error_rate, p95_ms, restarts FROM plugin_budgets WHERE plugin = ?',
        [plugin],
      );
      return row ? { errorRate: row.error_rate, p95Ms: row.p95_ms, restarts: row.restarts } : noOverrides;
    },

    /** Every plugin's overrides, read once at start (the budget feature keeps them in memory after). */
    async allOverrides(): Promise<Map<string, BudgetOverrides>> {
      const rows = await db.all<{
        plugin: string;
        error_rate: number | null;
        p95_ms: number | null;
        restarts: number | null;
      }>('SELECT plugin, error_rate, p95_ms, restarts FROM plugin_budgets');
      return new Map(
        rows.map((row) => [row.plugin, { errorRate: row.error_rate, p95Ms: row.p95_ms, restarts: row.restarts }]),
      );
    },

    /** Replaces the plugin's overrides; all `null` removes them. */
    async setOverrides(plugin: string, overrides: BudgetOverrides, userId: string): Promise<void> {
      await db.run('DELETE FROM plugin_budgets WHERE plugin = ?', [plugin]);
      if (Object.values(overrides).every((v) => v === null)) return;
      await db.run(
        'INSERT INTO plugin_budgets (plugin, error_rate, p95_ms, restarts, updated_by, updated_at) VALUES (?, ?, ?, ?, ?, ?)',
        [plugin, overrides.errorRate, overrides.p95Ms, overrides.restarts, userId, new Date().toISOString()],
      );
    },

    /** Every plugin disabled automatically and not enabled again since. */
    async autoDisables(): Promise<Map<string, AutoDisable>> {
      const rows = await db.all<{ plugin: string; reason: string; at: string }>(
        'SELECT plugin, reason, at FROM plugin_auto_disables',
      );
      return new Map(rows.map((r) => [r.plugin, { reason: r.reason, at: r.at }]));
    },

    async autoDisable(plugin: string): Promise<AutoDisable | undefined> {
      return db.get<AutoDisable>('SELECT reason, at FROM plugin_auto_disables WHERE plugin = ?', [plugin]);
    },

    /**
     * Records that the plugin was disabled automatically, unless it already is (until an admin enables it): false
     * then. Several servers on one database judge the same figures, so each may decide at once; one records it.
     */
    async recordAutoDisable(plugin: string, record: AutoDisable): Promise<boolean> {
      const { changes } = await db.run(
        'INSERT INTO plugin_auto_disables (plugin, reason, at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING',
        [plugin, record.reason, record.at],
      );
      return changes === 1;
    },

    /** Whether an admin has yet to dismiss a notice of this kind about the plugin. */
    async hasOpenNotice(plugin: string, kind: AdminNotice['kind']): Promise<boolean> {
      const row = await db.get('SELECT id FROM admin_notices WHERE plugin = ? AND kind = ? AND dismissed_at IS NULL', [
        plugin,
        kind,
      ]);
      return row !== undefined;
    },

    /** Forgets an automatic disable (an admin enabled the plugin). */
    async clearAutoDisable(plugin: string): Promise<void> {
      await db.run('DELETE FROM plugin_auto_disables WHERE plugin = ?', [plugin]);
    },

    async addNotice(notice: Omit<AdminNotice, 'id'>): Promise<AdminNotice> {
      const stored = { id: randomUUID(), ...notice };
      await db.run('INSERT INTO admin_notices (id, at, kind, plugin, message) VALUES (?, ?, ?, ?, ?)', [
        stored.id,
        stored.at,
        stored.kind,
        stored.plugin,
        stored.message,
      ]);
      return stored;
    },

    /** The notices no admin dismissed, newest first. */
    async openNotices(): Promise<AdminNotice[]> {
      return db.all<AdminNotice>(
        'SELECT id, at, kind, plugin, message FROM admin_notices WHERE dismissed_at IS NULL ORDER BY at DESC, id DESC',
      );
    },

    /** Dismisses an open notice and answers it; undefined when there is no open notice with that id. */
    async dismissNotice(id: string, userId: string): Promise<AdminNotice | undefined> {
      const notice = await db.get<AdminNotice>(
        'SELECT id, at, kind, plugin, message FROM admin_notices WHERE id = ? AND dismissed_at IS NULL',
        [id],
      );
      if (!notice) return undefined;
      await db.run('UPDATE admin_notices SET dismissed_at = ?, dismissed_by = ? WHERE id = ?', [
        new Date().toISOString(),
        userId,
        id,
      ]);
      return notice;
    },
  };
}

export type BudgetStore = ReturnType<typeof createBudgetStore>;
