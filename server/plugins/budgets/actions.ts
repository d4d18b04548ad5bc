import type { Database } from '../../db/database.ts';
import { dependantsOf } from '../installation/dependants.ts';
import { setPluginEnabled } from '../lifecycle-routes.ts';
import type { PluginLogWrite } from '../logs/store.ts';
import type { PluginRegistry } from '../registry.ts';
import { createBudgetStore } from './store.ts';

export interface BudgetActionDeps {
  db: Database;
  registry: PluginRegistry;
  writeLog: PluginLogWrite;
  /** A notice was added (committed): open admin shells refetch theirs. */
  noticesChanged(): void;
  now?: () => Date;
}

/** Rolls back an automatic disable another server on the database has already made. */
class DisabledElsewhere extends Error {}

/** What the server does about a plugin that stayed over budget: disable it, or only tell admins. */
export function budgetActions(deps: BudgetActionDeps) {
  const now = deps.now ?? (() => new Date());
  return {
    /**
     * Disables the plugin everywhere as the server would an admin's disable: the switch, the audit entry
     * (`plugin.auto-disable`, actor "system"), the record of why and a notice to admins commit together. Plugins
     * that depend on it go inactive until it is enabled again, as with an admin's disable. Once across servers: one
     * that finds it already disabled automatically changes nothing.
     */
    async disable(plugin: string, reason: string): Promise<void> {
      const at = now().toISOString();
      const dependants = dependantsOf(deps.registry.list(), plugin).map((d) => d.name);
      const entry = {
        actor: null,
        action: 'plugin.auto-disable',
        target: plugin,
        details: { reason, ...(dependants.length > 0 ? { dependants } : {}) },
      };
      const disabled = await setPluginEnabled(deps.db, entry, false, async (tx) => {
        const store = createBudgetStore(tx);
        if (!(await store.recordAutoDisable(plugin, { reason, at }))) throw new DisabledElsewhere();
        await store.addNotice({
          at,
          kind: 'plugin-auto-disabled',
          plugin,
          message: `Plugin "${plugin}" was disabled automatically: ${reason}.`,
        });
      }).then(
        () => true,
        (error: unknown) => {
          if (error instanceof DisabledElsewhere) return false;
          throw error;
        },
      );
      // Another server on the database judged the same figures and disabled it first: its change reaches this one.
      if (!disabled) return;
      deps.writeLog(plugin, 'error', 'lifecycle', `disabled automatically, over budget: ${reason}`, { dependants });
      deps.noticesChanged();
      await deps.registry.refresh();
    },

    /** Tells admins the plugin stays over budget while automatic disable is off (PLUGIN_BUDGET_AUTO_DISABLE=false). */
    async report(plugin: string, reason: string): Promise<void> {
      const store = createBudgetStore(deps.db);
      // Several servers judge the same figures: the admins hear of it once while the notice stays open.
      if (await store.hasOpenNotice(plugin, 'plugin-over-budget')) return;
      await store.addNotice({
        at: now().toISOString(),
        kind: 'plugin-over-budget',
        plugin,
        message: `Plugin "${plugin}" is over its budget: ${reason}. Automatic disable is off, so it keeps running.`,
      });
      deps.writeLog(plugin, 'warn', 'lifecycle', `over budget (automatic disable is off): ${reason}`);
      deps.noticesChanged();
    },
  };
}
