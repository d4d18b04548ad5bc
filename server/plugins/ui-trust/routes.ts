import type { FastifyInstance } from 'fastify';
import { setPluginUiTrust } from '../../../shared/http/plugins.ts';
import { currentUser, type Guards } from '../../auth/guards.ts';
import type { Database } from '../../db/database.ts';
import { contractRoute } from '../../http/contract-route.ts';
import { createEnablementStore } from '../enablement.ts';
import { auditedChange } from '../lifecycle-routes.ts';
import type { PluginRegistry } from '../registry.ts';
import { requirePlugin, toDetail } from '../routes.ts';
import { createUiTrustStore } from './store.ts';

/**
 * `PUT /api/plugins/:name/ui-trust` `{"level": "isolated" | "in-page"}` (instance admins): how the plugin's UI runs.
 * The choice and its audit entry (`plugin.ui-trust`, from and to) commit together; the refresh that follows tells
 * open shells (`plugins-changed`), which load its contributions again at the new level without a reload.
 */
export function registerUiTrustRoutes(
  app: FastifyInstance,
  deps: { registry: PluginRegistry; guards: Guards; db: Database },
): void {
  const { registry, guards, db } = deps;
  contractRoute(
    app,
    setPluginUiTrust,
    { guards: [guards.requireUser, guards.requireInstanceAdmin] },
    async (request) => {
      const plugin = requirePlugin(registry, request.params.name);
      const { level } = request.body;
      const user = currentUser(request);
      await auditedChange(
        db,
        { actor: user, action: 'plugin.ui-trust', target: plugin.name, details: { from: plugin.uiTrust, to: level } },
        (tx) => createUiTrustStore(tx).set(plugin.name, level, user.id),
      );
      await registry.refresh();
      const now = requirePlugin(registry, plugin.name);
      return toDetail(now, (await createEnablementStore(db).load()).get(now.name), registry);
    },
  );
}
