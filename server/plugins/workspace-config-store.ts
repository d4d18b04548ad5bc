import type { Json } from '@dbt-workbench/plugin-sdk/node/configuration';
import type { Database } from '../db/database.ts';

/** Each workspace's override of a plugin's configuration. Kept on disable, deleted with the plugin on remove. */
export function createWorkspaceConfigStore(db: Database) {
  return {
    /** The overrides in one workspace, by plugin. */
    async ofWorkspace(workspace: string): Promise<Map<string, Json>> {
      const rows = await db.all<{ plugin: string; config: string }>(
        'SELECT plugin, config FROM plugin_workspace_config WHERE workspace = ?',
        [workspace],
      );
      return new Map(rows.map((r) => [r.plugin, JSON.parse(r.config) as Json]));
    },
    async get(plugin: string, workspace: string): Promise<Json | undefined> {
      const row = await db.get<{ config: string }>(
        'SELECT config FROM plugin_workspace_config WHERE plugin = ? AND workspace = ?',
        [plugin, workspace],
      );
      return row ? (JSON.parse(row.config) as Json) : undefined;
    },
    /** The workspaces that override the plugin, with the fields each one overrides. */
    async overridesOf(plugin: string): Promise<Map<string, Json>> {
      const rows = await db.all<{ workspace: string; config: string }>(
        'SELECT workspace, config FROM plugin_workspace_config WHERE plugin = ?',
        [plugin],
      );
      return new Map(rows.map((r) => [r.workspace, JSON.parse(r.config) as Json]));
    },
    async set(plugin: string, workspace: string, config: Json, userId: string): Promise<void> {
      await db.run(
        `INSERT INTO plugin_workspace_config (plugin, workspace, config, updated_by, updated_at) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (plugin, workspace) DO UPDATE SET config = excluded.config, updated_by = excluded.updated_by,
         updated_at = excluded.updated_at`,
        [plugin, workspace, JSON.stringify(config), userId, new Date().toISOString()],
      );
    },
    /** A removed workspace's overrides go with it: one added again under its name starts from the global values. */
    async forgetWorkspace(workspace: string): Promise<void> {
      await db.run('DELETE FROM plugin_workspace_config WHERE workspace = ?', [workspace]);
    },
    async remove(plugin: string, workspace: string): Promise<boolean> {
      const result = await db.run('DELETE FROM plugin_workspace_config WHERE plugin = ? AND workspace = ?', [
        plugin,
        workspace,
      ]);
      return result.changes > 0;
    },
  };
}

export type WorkspaceConfigStore = ReturnType<typeof createWorkspaceConfigStore>;
