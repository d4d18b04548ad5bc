import type { FastifyInstance } from 'fastify';
import * as api from '../../shared/http/tools.ts';
import { currentUser, currentWorkspace, type Guards } from '../auth/guards.ts';
import { contractRoute } from '../http/contract-route.ts';
import type { ToolRunner } from './runner.ts';

/**
 * The command palette's API, for any member of the workspace: `GET .../tools` lists the tools they may use there;
 * `POST .../tools/:tool/call` with `{arguments}` runs one (the tool's own role, capabilities and schema are
 * checked by the runner) and answers `{tool, result, view, durationMs}`.
 */
export function registerToolRoutes(app: FastifyInstance, deps: { runner: ToolRunner; guards: Guards }): void {
  const member = { guards: [deps.guards.requireUser, deps.guards.requireWorkspaceRole('viewer')] };

  contractRoute(app, api.listTools, member, async (request) => {
    const { workspace, role } = currentWorkspace(request);
    return { workspace: workspace.name, tools: deps.runner.list({ workspace, role }) };
  });

  contractRoute(app, api.callTool, member, async (request) => {
    const { workspace, role } = currentWorkspace(request);
    const body = request.body;
    return deps.runner.call(
      { user: currentUser(request), workspace, role, via: 'palette' },
      request.params.tool,
      body.arguments,
    );
  });
}
