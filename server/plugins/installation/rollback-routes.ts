import type { FastifyInstance } from 'fastify';
import type { PluginVersions } from '../../../shared/rollback.schema.ts';
import * as api from '../../../shared/http/plugin-installation.ts';
import type { PluginDetail } from '../../../shared/api.schema.ts';
import { createAuditLog } from '../../audit/audit-log.ts';
import { currentUser, type Guards } from '../../auth/guards.ts';
import type { Database } from '../../db/database.ts';
import { contractRoute } from '../../http/contract-route.ts';
import { HttpError } from '../../http/errors.ts';
import type { PluginRegistry } from '../registry.ts';
import { requirePlugin } from '../routes.ts';
import { answering } from './answering.ts';
import { dependantsOf } from './dependants.ts';
import type { Installer } from './installer.ts';
import { pin, pinOf, unpin } from './pinning.ts';
import { allKept, keptVersions } from './versions.ts';

export interface RollbackRouteDeps {
  registry: PluginRegistry;
  guards: Guards;
  db: Database;
  installer: Installer;
  detailOf(name: string): Promise<PluginDetail>;
}

/**
 * Rollback, pinning and dependants (instance admins only):
 * - `GET /api/plugins/:name/versions`: the running version, the kept ones and the pin.
 * - `POST /api/plugins/:name/rollback` `{version?}`: back to a kept version (default: the one the last update
 *   replaced); 409 when nothing is kept, or the plugin is pinned.
 * - `POST /api/plugins/:name/pin` and `/unpin`: a pinned plugin refuses updates and rollbacks (409 naming the pin).
 * - `GET /api/plugins/:name/dependants`: the installed plugins that depend on it.
 */
export function registerRollbackRoutes(app: FastifyInstance, deps: RollbackRouteDeps): void {
  const { registry, db, installer } = deps;
  const admin = { guards: [deps.guards.requireUser, deps.guards.requireInstanceAdmin] };

  async function versionsOf(name: string): Promise<PluginVersions> {
    const plugin = requirePlugin(registry, name);
    const current = plugin.manifest?.version ?? null;
    const kept = await keptVersions(installer.layout, name);
    return {
      name,
      current,
      kept: allKept(kept).filter((v) => v !== current),
      previous: kept.previous && kept.previous !== current ? kept.previous : null,
      pin: await pinOf(db, name),
    };
  }

  contractRoute(app, api.listPluginVersions, admin, (request) => versionsOf(request.params.name));

  contractRoute(app, api.rollbackPlugin, admin, async (request) => {
    const { version } = request.body;
    const { name } = request.params;
    const result = await answering(() => installer.rollback(name, version, currentUser(request)));
    const installations = await installer.installations();
    return {
      ...result,
      plugin: await deps.detailOf(name),
      installation: installations.find((i) => i.name === name),
      versions: await versionsOf(name),
    };
  });

  contractRoute(app, api.pinPlugin, admin, async (request) => {
    const plugin = requirePlugin(registry, request.params.name);
    const user = currentUser(request);
    const version = plugin.manifest?.version ?? null;
    await pin(db, plugin.name, version, user);
    await createAuditLog(db).record({ actor: user, action: 'plugin.pin', target: plugin.name, details: { version } });
    return versionsOf(plugin.name);
  });

  contractRoute(app, api.unpinPlugin, admin, async (request) => {
    const plugin = requirePlugin(registry, request.params.name);
    const user = currentUser(request);
    if (!(await unpin(db, plugin.name))) throw new HttpError('conflict', `Plugin "${plugin.name}" is not pinned`);
    await createAuditLog(db).record({ actor: user, action: 'plugin.unpin', target: plugin.name });
    return versionsOf(plugin.name);
  });

  contractRoute(app, api.listDependants, admin, async (request) => {
    const plugin = requirePlugin(registry, request.params.name);
    return { name: plugin.name, dependants: dependantsOf(registry.list(), plugin.name) };
  });
}
