import type { Database } from '../../db/database.ts';
import type { UiTrust } from '../../../shared/ui-trust.schema.ts';

/** Admins' choices of UI trust level, one row per plugin that is not at the default (isolated). */
export function createUiTrustStore(db: Database) {
  return {
    /** Every stored choice, by plugin name. */
    async load(): Promise<Map<string, UiTrust>> {
      const rows = await db.all<{ plugin: string; level: UiTrust }>('SELECT plugin, level FROM plugin_ui_trust');
      return new Map(rows.map((row) => [row.plugin, row.level]));
    },

    /** Records a choice; `isolated`, the default, is stored too, so the audit and the row say who chose it. */
    async set(plugin: string, level: UiTrust, userId: string): Promise<void> {
      await db.transaction(async (tx) => {
        await tx.run('DELETE FROM plugin_ui_trust WHERE plugin = ?', [plugin]);
        await tx.run('INSERT INTO plugin_ui_trust (plugin, level, updated_by, updated_at) VALUES (?, ?, ?, ?)', [
          plugin,
          level,
          userId,
          new Date().toISOString(),
        ]);
      });
    },

    /** Forgets a removed plugin's choice: a plugin installed again under its name starts isolated. */
    async remove(plugin: string): Promise<void> {
      await db.run('DELETE FROM plugin_ui_trust WHERE plugin = ?', [plugin]);
    },
  };
}

export type UiTrustStore = ReturnType<typeof createUiTrustStore>;
