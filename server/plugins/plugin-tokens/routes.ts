import type { FastifyInstance } from 'fastify';
import { issuePluginToken } from '../../../shared/http/plugins.ts';
import { currentWorkspace, type Guards } from '../../auth/guards.ts';
import { contractRoute } from '../../http/contract-route.ts';
import { HttpError } from '../../http/errors.ts';
import type { PluginRegistry } from '../registry.ts';
import type { PluginTokens } from './service.ts';

/**
 * `POST /api/workspaces/:workspace/plugin-tokens` `{"plugin": name}`: a token for the host end of that plugin's
 * bridge, bound to the caller's session and the workspace, valid 10 minutes. Members of the workspace only (404
 * otherwise), for a plugin active and enabled there (404 naming it otherwise).
 */
export function registerPluginTokenRoutes(
  app: FastifyInstance,
  deps: { registry: PluginRegistry; guards: Guards; tokens: PluginTokens },
): void {
  contractRoute(
    app,
    issuePluginToken,
    { guards: [deps.guards.requireUser, deps.guards.requireWorkspaceRole('viewer')] },
    async (request) => {
      const { workspace } = currentWorkspace(request);
      const { plugin: name } = request.body;
      const plugin = deps.registry.get(name);
      if (!plugin) throw new HttpError('plugin_not_found', `No plugin named "${name}" is installed`);
      if (plugin.state !== 'active' || !plugin.enabledWorkspaces.includes(workspace.name))
        throw new HttpError('not_found', `Plugin "${name}" is not active in workspace ${workspace.name}`);
      return deps.tokens.issue(request, plugin.name, workspace.name);
    },
  );
}
