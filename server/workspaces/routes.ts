import type { FastifyInstance } from 'fastify';
import type { WorkspaceExtensions } from '../../shared/api.schema.ts';
import { HttpError } from '../http/errors.ts';
import type { PluginRegistry } from '../plugins/registry.ts';
import { extensionsOf } from './extensions.ts';

/** The workspaces this server knows. One `default` workspace until workspaces come from configuration. */
export const workspaceNames: readonly string[] = ['default'];

/** What the shell asks for: the contributions to render in a workspace. */
export function registerWorkspaceRoutes(app: FastifyInstance, registry: PluginRegistry): void {
  app.get<{ Params: { workspace: string } }>(
    '/api/workspaces/:workspace/extensions',
    async (request): Promise<WorkspaceExtensions> => {
      const { workspace } = request.params;
      if (!workspaceNames.includes(workspace)) {
        throw new HttpError('workspace_not_found', `No workspace named "${workspace}"`);
      }
      return { workspace, extensions: extensionsOf(registry.active()) };
    },
  );
}
