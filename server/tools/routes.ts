import type { FastifyInstance } from 'fastify';
import { ToolCallBody, type ToolCallResult, type ToolList } from '../../shared/tools.schema.ts';
import { currentUser, currentWorkspace, type Guards } from '../auth/guards.ts';
import { parseBody } from '../http/body.ts';
import type { ToolRunner } from './runner.ts';

type WorkspaceParams = { Params: { workspace: string } };
type ToolParams = { Params: { workspace: string; tool: string } };

/**
 * The command palette's API, for any member of the workspace: `GET .../tools` lists the tools they may use there;
 * `POST .../tools/:tool/call` with `{arguments}` runs one (the tool's own role, capabilities and schema are
 * checked by the runner) and answers `{tool, result, view, durationMs}`.
 */
export function registerToolRoutes(app: FastifyInstance, deps: { runner: ToolRunner; guards: Guards }): void {
  const member = { preHandler: [deps.guards.requireUser, deps.guards.requireWorkspaceRole('viewer')] };
  const base = '/api/workspaces/:workspace/tools';

  app.get<WorkspaceParams>(base, member, async (request): Promise<ToolList> => {
    const { workspace, role } = currentWorkspace(request);
    return { workspace: workspace.name, tools: deps.runner.list({ workspace, role }) };
  });

  app.post<ToolParams>(`${base}/:tool/call`, member, async (request): Promise<ToolCallResult> => {
    const { workspace, role } = currentWorkspace(request);
    const body = parseBody(ToolCallBody, request.body);
    return deps.runner.call(
      { user: currentUser(request), workspace, role, via: 'palette' },
      request.params.tool,
      body.arguments,
    );
  });
}
