import type { FastifyInstance } from 'fastify';
import type { WorkspaceExtensions } from '../../shared/api.schema.ts';
import { currentWorkspace, type Guards } from '../auth/guards.ts';
import type { Database } from '../db/database.ts';
import type { PluginRegistry } from '../plugins/registry.ts';
import { createWorkspaceConfigStore } from '../plugins/workspace-config-store.ts';
import { extensionsOf } from './extensions.ts';

/** What the shell asks for: the contributions to render in a workspace. Any member may ask. */
export function registerWorkspaceRoutes(
  app: FastifyInstance,
  registry: PluginRegistry,
  guards: Guards,
  db: Database,
): void {
  const overrides = createWorkspaceConfigStore(db);
  app.get<{ Params: { workspace: string } }>(
    '/api/workspaces/:workspace/extensions',
    { preHandler: [guards.requireUser, guards.requireWorkspaceRole('viewer')] },
    async (request): Promise<WorkspaceExtensions> => {
      const { workspace } = currentWorkspace(request);
      const configs = await overrides.ofWorkspace(workspace.name);
      return { workspace: workspace.name, extensions: extensionsOf(registry.active(), workspace.name, configs) };
    },
  );
}
