import type { FastifyInstance } from 'fastify';
import type { PluginDetail } from '../../shared/api.schema.ts';
import type { BulkPluginResult } from '../../shared/plugin-bulk.schema.ts';
import * as api from '../../shared/http/plugins.ts';
import { createAuditLog, type AuditRecord } from '../audit/audit-log.ts';
import { currentUser, type Guards } from '../auth/guards.ts';
import type { User } from '../auth/users-repository.ts';
import { contractRoute } from '../http/contract-route.ts';
import { HttpError } from '../http/errors.ts';
import type { Workspace } from '../workspaces/config.ts';
import type { Database } from '../db/database.ts';
import { createEnablementStore, type EnablementStore } from './enablement.ts';
import type { PluginRegistry } from './registry.ts';
import { approveReviewed, rejectWaiting } from './approvals-waiting.ts';
import { requirePlugin, toDetail } from './routes.ts';
import { confirmed, requireDependantsConfirmed } from './installation/dependants.ts';
import { createBudgetStore } from './budgets/store.ts';
import { pluginBackendsOf } from '../sandbox/feature.ts';

export interface LifecycleRouteDeps {
  registry: PluginRegistry;
  guards: Guards;
  db: Database;
  workspaces: readonly Workspace[];
}

/** A change and its audit entry, committed together: a crash between them cannot keep one without the other. */
export function auditedChange(
  db: Database,
  entry: AuditRecord,
  change: (tx: Database) => Promise<void>,
): Promise<void> {
  return db.transaction(async (tx) => {
    await change(tx);
    await createAuditLog(tx).record(entry);
  });
}

/**
 * Switches a plugin on or off in every workspace (its global rule) with its audit entry, in one transaction: what
 * an admin does, and what an automatic disable does as the server (`actor: null`), with `also` recording why.
 * Switching on also ends an automatic disable.
 */
export function setPluginEnabled(
  db: Database,
  entry: AuditRecord & { target: string },
  enabled: boolean,
  also?: (tx: Database) => Promise<void>,
): Promise<void> {
  return auditedChange(db, entry, async (tx) => {
    await createEnablementStore(tx).setGlobal(entry.target, enabled, entry.actor?.id ?? null);
    if (enabled) await createBudgetStore(tx).clearAutoDisable(entry.target);
    await also?.(tx);
  });
}

/** Approve, reject, enable and disable (globally or per workspace). Each is audited and reaches open shells at once. */
export function registerLifecycleRoutes(app: FastifyInstance, deps: LifecycleRouteDeps): void {
  const { registry, guards, db } = deps;
  const admin = { guards: [guards.requireUser, guards.requireInstanceAdmin] };
  const enablement = createEnablementStore(db);

  function audited(entry: AuditRecord, change: (stores: { enablement: EnablementStore }) => Promise<void>) {
    return auditedChange(db, entry, (tx) => change({ enablement: createEnablementStore(tx) }));
  }

  async function respond(name: string): Promise<PluginDetail> {
    await registry.refresh();
    return toDetail(requirePlugin(registry, name), (await enablement.load()).get(name), registry);
  }

  /**
   * Approves the reviewed version's whole access request: the version in force waiting for its first approval, or
   * the newer build waiting in its folder (approvals-waiting.ts); 409 when another version waits now.
   */
  async function approve(name: string, version: string, user: User): Promise<string> {
    const manifest = await approveReviewed(db, requirePlugin(registry, name), version, user);
    return manifest.name;
  }

  /**
   * Sets the global rule, audited as what the admin did: `plugin.enable`/`plugin.disable` for the plugin as a whole,
   * `plugin.default-on`/`plugin.default-off` for the default of workspaces without a rule of their own. Switching off
   * a plugin others depend on needs `confirm`; they go inactive until it is enabled again.
   */
  async function setGlobalRule(name: string, enabled: boolean, action: string, user: User, confirm: boolean) {
    const plugin = requirePlugin(registry, name);
    const dependants = enabled
      ? []
      : requireDependantsConfirmed(registry.list(), plugin.name, 'disable', confirm ? { confirm: 'true' } : {});
    const details = dependants.length > 0 ? { dependants: dependants.map((d) => d.name) } : undefined;
    await setPluginEnabled(db, { actor: user, action, target: plugin.name, details }, enabled);
    return plugin.name;
  }

  contractRoute(app, api.approvePlugin, admin, async (request) => {
    const { version } = request.body;
    return respond(await approve(request.params.name, version, currentUser(request)));
  });

  /** Rejects the version waiting: a newer build in the folder or a first version; remembered for that version. */
  contractRoute(app, api.rejectPlugin, admin, async (request) => {
    const { version } = request.body;
    const plugin = requirePlugin(registry, request.params.name);
    await rejectWaiting(db, plugin, version, currentUser(request));
    return respond(plugin.name);
  });

  for (const [verb, enabled, contract] of [
    ['enable', true, api.enablePlugin],
    ['disable', false, api.disablePlugin],
  ] as const) {
    contractRoute(app, contract, admin, async (request) => {
      const name = request.params.name;
      const user = currentUser(request);
      return respond(await setGlobalRule(name, enabled, `plugin.${verb}`, user, confirmed(request.query)));
    });
  }

  /** The "Enabled by default in every workspace" switch: workspaces with a rule of their own keep it. */
  contractRoute(app, api.setPluginDefault, admin, async (request) => {
    const { enabled } = request.body;
    const action = enabled ? 'plugin.default-on' : 'plugin.default-off';
    return respond(
      await setGlobalRule(request.params.name, enabled, action, currentUser(request), confirmed(request.query)),
    );
  });

  /** Approve, enable or disable several plugins: each as alone (checks, audit entry), then one refresh for all. */
  contractRoute(app, api.bulkPlugins, admin, async (request) => {
    const { action, plugins, confirm = false } = request.body;
    const user = currentUser(request);
    const results: BulkPluginResult['results'] = [];
    for (const { name, version } of plugins) {
      try {
        if (action === 'approve') {
          if (version === undefined) throw new HttpError('bad_request', 'version: the reviewed version is required');
          await approve(name, version, user);
        } else await setGlobalRule(name, action === 'enable', `plugin.${action}`, user, confirm);
        results.push({ name, ok: true });
      } catch (error) {
        if (!(error instanceof HttpError)) throw error;
        results.push({ name, ok: false, error: { code: error.code, message: error.message } });
      }
    }
    await registry.refresh();
    return { results };
  });

  /**
   * Reads the plugin's folder again and starts its backend afresh from the code on disk, answering once the new
   * process serves. When the new code does not start, the process serving keeps serving and the answer is 409 with
   * why.
   */
  contractRoute(app, api.reloadPlugin, admin, async (request) => {
    const plugin = requirePlugin(registry, request.params.name);
    await createAuditLog(db).record({ actor: currentUser(request), action: 'plugin.reload', target: plugin.name });
    // Discovery re-reads every folder; only plugins whose files changed get a new revision.
    await registry.refresh();
    const now = requirePlugin(registry, plugin.name);
    const backends = pluginBackendsOf(registry);
    if (backends && now.state === 'active' && now.manifest?.backend?.entry) {
      const reloaded = await backends.reload(now.name);
      if (!reloaded.ok)
        throw new HttpError(
          'conflict',
          `The backend of "${now.name}" did not start again from its code on disk: ${reloaded.reason}`,
        );
    }
    return respond(plugin.name);
  });

  contractRoute(app, api.setPluginInWorkspace, admin, async (request) => {
    const plugin = requirePlugin(registry, request.params.name);
    const workspace = deps.workspaces.find((w) => w.name === request.params.workspace);
    if (!workspace) throw new HttpError('workspace_not_found', `No workspace named "${request.params.workspace}"`);
    const { enabled } = request.body;
    const user = currentUser(request);
    await audited(
      {
        actor: user,
        action: 'plugin.workspace',
        target: plugin.name,
        workspace: workspace.name,
        details: { enabled },
      },
      (stores) => stores.enablement.set(plugin.name, workspace.name, enabled, user.id),
    );
    return respond(plugin.name);
  });
}
