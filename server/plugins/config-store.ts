import type { Json } from '@dbt-workbench/plugin-sdk/node/configuration';
import type { Database } from '../db/database.ts';

/** Stored configurations, one JSON document per plugin. Kept on disable, deleted on remove. */
export function createConfigStore(db: Database) {
  return {
    async load(): Promise<Map<string, Json>> {
      const rows = await db.all<{ name: string; config: string }>('SELECT name, config FROM plugin_config');
      return new Map(rows.map((r) => [r.name, JSON.parse(r.config) as Json]));
    },
    async set(name: string, config: Json, userId: string): Promise<void> {
      await db.transaction(async (tx) => {
        await tx.run('DELETE FROM plugin_config WHERE name = ?', [name]);
        await tx.run('INSERT INTO plugin_config (name, config, updated_by, updated_at) VALUES (?, ?, ?, ?)', [
          name,
          JSON.stringify(config),
          userId,
          new Date().toISOString(),
        ]);
      });
    },
    async remove(name: string): Promise<void> {
      await db.run('DELETE FROM plugin_config WHERE name = ?', [name]);
    },
  };
}

export type ConfigStore = ReturnType<typeof createConfigStore>;
