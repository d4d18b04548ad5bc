import type { FastifyInstance } from 'fastify';
import {
  type BudgetOverrides,
  type PluginBudgetDefaults,
  type PluginBudgetStatus,
} from '../../../shared/plugin-budgets.schema.ts';
import { dismissNotice, listNotices } from '../../../shared/http/notices.ts';
import { getPluginBudget, setPluginBudget } from '../../../shared/http/plugin-operations.ts';
import { createAuditLog } from '../../audit/audit-log.ts';
import { currentUser, type Guards } from '../../auth/guards.ts';
import type { Database } from '../../db/database.ts';
import { contractRoute } from '../../http/contract-route.ts';
import { HttpError } from '../../http/errors.ts';
import { auditedChange } from '../lifecycle-routes.ts';
import type { PluginRegistry } from '../registry.ts';
import { requirePlugin } from '../routes.ts';
import { breaches, effectiveBudget } from './evaluate.ts';
import { createBudgetStore } from './store.ts';
import type { BudgetWatcher } from './watcher.ts';

export interface BudgetRouteDeps {
  db: Database;
  registry: PluginRegistry;
  guards: Guards;
  defaults: PluginBudgetDefaults;
  /** Undefined with the plugin system off: nothing is judged, so there are no breaches. */
  watcher: BudgetWatcher | undefined;
  /** An admin changed a plugin's overrides (committed). */
  overridesChanged(plugin: string, overrides: BudgetOverrides): void;
  /** A notice was dismissed (committed). */
  noticesChanged(): void;
}

/**
 * Instance admins only: `GET|PUT /api/plugins/:name/budget` (a plugin's budget, its overrides and how it fares),
 * `GET /api/notices` (open notices, newest first) and `POST /api/notices/:id/dismiss`. Changes are audited.
 */
export function registerBudgetRoutes(app: FastifyInstance, deps: BudgetRouteDeps): void {
  const { db, registry, defaults } = deps;
  const admin = { preHandler: [deps.guards.requireUser, deps.guards.requireInstanceAdmin] };
  const store = createBudgetStore(db);

  async function status(plugin: string): Promise<PluginBudgetStatus> {
    const overrides = await store.overrides(plugin);
    const effective = effectiveBudget(defaults, overrides);
    const current = deps.watcher?.current(plugin) ?? { points: [], overBudgetSince: null };
    return {
      plugin,
      defaults,
      overrides,
      effective,
      breaches: breaches(current.points, effective),
      overBudgetSince: current.overBudgetSince,
      autoDisabled: (await store.autoDisable(plugin)) ?? null,
    };
  }

  contractRoute(app, getPluginBudget, { guards: admin.preHandler }, async (request) =>
    status(requirePlugin(registry, request.params.name).name),
  );

  contractRoute(app, setPluginBudget, { guards: admin.preHandler }, async (request) => {
    const plugin = requirePlugin(registry, request.params.name).name;
    const body = request.body;
    const user = currentUser(request);
    const overrides = { ...(await store.overrides(plugin)), ...body };
    await auditedChange(db, { actor: user, action: 'plugin.budget', target: plugin, details: overrides }, (tx) =>
      createBudgetStore(tx).setOverrides(plugin, overrides, user.id),
    );
    deps.overridesChanged(plugin, overrides);
    return status(plugin);
  });

  const adminGuards = { guards: admin.preHandler };
  contractRoute(app, listNotices, adminGuards, async () => ({ notices: await store.openNotices() }));

  contractRoute(app, dismissNotice, adminGuards, async (request, reply) => {
    const user = currentUser(request);
    const { id } = request.params;
    await db.transaction(async (tx) => {
      const notice = await createBudgetStore(tx).dismissNotice(id, user.id);
      if (!notice) throw new HttpError('notice_not_found', `No open notice with id "${id}"`);
      await createAuditLog(tx).record({
        actor: user,
        action: 'notice.dismiss',
        ...(notice.plugin ? { target: notice.plugin } : {}),
        details: { notice: notice.message },
      });
    });
    deps.noticesChanged();
    reply.status(204);
    return undefined;
  });
}
