import type { FastifyInstance } from 'fastify';
import { resolveConfig, type Json } from '@dbt-workbench/plugin-sdk/node/configuration';
import { createAuditLog } from '../audit/audit-log.ts';
import { currentUser, currentWorkspace, type Guards } from '../auth/guards.ts';
import type { Database } from '../db/database.ts';
import * as api from '../../shared/http/plugin-config.ts';
import { contractRoute } from '../http/contract-route.ts';
import { HttpError } from '../http/errors.ts';
import type { PluginWorkspaceConfigView } from '../../shared/api.schema.ts';
import type { ServerEvent } from '../../shared/events.schema.ts';
import type { PluginRegistry } from './registry.ts';
import { requirePlugin } from './routes.ts';
import { effectiveWorkspaceConfig, mergeWorkspaceConfig } from './workspace-config.ts';
import { createWorkspaceConfigStore } from './workspace-config-store.ts';

export interface WorkspaceConfigRouteDeps {
  registry: PluginRegistry;
  guards: Guards;
  db: Database;
  /** Tells open shells, so the workspace's widgets render with the new configuration at once. */
  announce(event: ServerEvent): void;
}

/**
 * `GET|PUT|DELETE /api/plugins/:name/config/workspaces/:workspace`: a workspace's override of a plugin's global
 * configuration, for instance admins and that workspace's admins. The override's fields replace the global ones;
 * the merged configuration must fit the plugin's JSON Schema.
 */
export function registerWorkspaceConfigRoutes(app: FastifyInstance, deps: WorkspaceConfigRouteDeps): void {
  const { registry, guards, db } = deps;
  const workspaceAdmin = { guards: [guards.requireUser, guards.requireWorkspaceRole('admin')] };
  const overrides = createWorkspaceConfigStore(db);

  function configurable(name: string) {
    const plugin = requirePlugin(registry, name);
    if (!plugin.manifest)
      throw new HttpError('conflict', `Plugin "${name}" has no valid manifest: ${plugin.reason ?? ''}`);
    if (!plugin.manifest.configuration)
      throw new HttpError('bad_request', `Plugin "${plugin.manifest.name}" has no configuration`);
    return { plugin, manifest: plugin.manifest };
  }

  function view(global: Json, override: Json | undefined, value: Json, workspace: string): PluginWorkspaceConfigView {
    return { workspace, global, override: override ?? {}, overridden: Object.keys(override ?? {}), value };
  }

  function announce(plugin: string, workspace: string) {
    deps.announce({ type: 'plugin-config-changed', plugin, workspace, at: new Date().toISOString() });
  }

  contractRoute(app, api.getWorkspaceConfig, workspaceAdmin, async (request) => {
    const { plugin, manifest } = configurable(request.params.name);
    const workspace = currentWorkspace(request).workspace.name;
    const override = await overrides.get(plugin.name, workspace);
    return view(plugin.config, override, effectiveWorkspaceConfig(manifest, plugin.config, override), workspace);
  });

  contractRoute(app, api.setWorkspaceConfig, workspaceAdmin, async (request) => {
    const { plugin, manifest } = configurable(request.params.name);
    const workspace = currentWorkspace(request).workspace.name;
    const { config } = request.body;
    const resolved = resolveConfig(manifest, mergeWorkspaceConfig(plugin.config, config));
    if (!resolved.ok) {
      throw new HttpError(
        'bad_request',
        `The configuration of workspace "${workspace}" does not fit the plugin's schema: ${resolved.problems
          .map((p) => p.message)
          .join('; ')}`,
        resolved.problems,
      );
    }
    const user = currentUser(request);
    await db.transaction(async (tx) => {
      await createWorkspaceConfigStore(tx).set(plugin.name, workspace, config, user.id);
      await createAuditLog(tx).record({
        actor: user,
        action: 'plugin.configure-workspace',
        target: plugin.name,
        workspace,
        details: { config },
      });
    });
    announce(plugin.name, workspace);
    return view(plugin.config, config, resolved.value, workspace);
  });

  contractRoute(app, api.resetWorkspaceConfig, workspaceAdmin, async (request) => {
    const { plugin } = configurable(request.params.name);
    const workspace = currentWorkspace(request).workspace.name;
    const user = currentUser(request);
    const removed = await db.transaction(async (tx) => {
      const gone = await createWorkspaceConfigStore(tx).remove(plugin.name, workspace);
      if (gone)
        await createAuditLog(tx).record({
          actor: user,
          action: 'plugin.configure-workspace-reset',
          target: plugin.name,
          workspace,
        });
      return gone;
    });
    if (removed) announce(plugin.name, workspace);
    return view(plugin.config, undefined, plugin.config, workspace);
  });
}
