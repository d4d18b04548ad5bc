import type { Database } from '../db/database.ts';

/** An admin's enablement rules for one plugin: a global switch and per-workspace overrides. */
export interface EnablementRules {
  /** Undefined: the server's default (PLUGIN_DEFAULT_ENABLED). */
  global?: boolean;
  /** A workspace's own rule wins over the global one; no entry inherits it. */
  workspaces: Record<string, boolean>;
}

/** Whether a plugin is enabled in a workspace. The one rule used by the API, events, UI, routes and hooks. Pure. */
export function isEnabledIn(rules: EnablementRules | undefined, workspace: string, defaultEnabled: boolean): boolean {
  return rules?.workspaces[workspace] ?? rules?.global ?? defaultEnabled;
}

/** The workspaces, of those given, where a plugin is enabled. Pure. */
export function enabledWorkspaces(
  rules: EnablementRules | undefined,
  workspaces: readonly string[],
  defaultEnabled: boolean,
): string[] {
  return workspaces.filter((w) => isEnabledIn(rules, w, defaultEnabled));
}

const GLOBAL = '*';

/** Stored enablement: one row per plugin and scope, `*` being the global scope. */
export function createEnablementStore(db: Database) {
  return {
    async load(): Promise<Map<string, EnablementRules>> {
      const rows = await db.all<{ name: string; workspace: string; enabled: number }>(
        'SELECT name, workspace, enabled FROM plugin_enablement',
      );
      const rules = new Map<string, EnablementRules>();
      for (const row of rows) {
        const entry = rules.get(row.name) ?? { workspaces: {} };
        if (row.workspace === GLOBAL) entry.global = row.enabled === 1;
        else entry.workspaces[row.workspace] = row.enabled === 1;
        rules.set(row.name, entry);
      }
      return rules;
    },

    async setGlobal(name: string, enabled: boolean, userId: string | null): Promise<void> {
      await this.set(name, GLOBAL, enabled, userId);
    },

    /** Sets a workspace's rule; `null` removes it so the workspace inherits the global rule. `userId` null: the server. */
    async set(name: string, workspace: string, enabled: boolean | null, userId: string | null): Promise<void> {
      await db.transaction(async (tx) => {
        await tx.run('DELETE FROM plugin_enablement WHERE name = ? AND workspace = ?', [name, workspace]);
        if (enabled === null) return;
        await tx.run(
          'INSERT INTO plugin_enablement (name, workspace, enabled, updated_by, updated_at) VALUES (?, ?, ?, ?, ?)',
          [name, workspace, enabled ? 1 : 0, userId, new Date().toISOString()],
        );
      });
    },
  };
}

export type EnablementStore = ReturnType<typeof createEnablementStore>;
