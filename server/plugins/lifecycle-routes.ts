import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { PluginDetail } from '../../shared/api.schema.ts';
import type { AuditLog } from '../audit/audit-log.ts';
import { currentUser, type Guards } from '../auth/guards.ts';
import { parseBody } from '../http/body.ts';
import { HttpError } from '../http/errors.ts';
import type { Workspace } from '../workspaces/config.ts';
import type { ApprovalStore } from './approvals.ts';
import type { EnablementStore } from './enablement.ts';
import type { PluginRegistry } from './registry.ts';
import { requirePlugin, toDetail } from './routes.ts';

export interface LifecycleRouteDeps {
  registry: PluginRegistry;
  guards: Guards;
  approvals: ApprovalStore;
  enablement: EnablementStore;
  audit: AuditLog;
  workspaces: readonly Workspace[];
}

const ApproveBody = z.object({
  /** The version the admin reviewed: approving is refused if the plugin changed meanwhile. */
  version: z.string().min(1),
});

const WorkspaceRuleBody = z.object({ enabled: z.boolean().nullable() });

type NameParams = { Params: { name: string } };

/** Approve, enable and disable (globally or per workspace). Each is audited and reaches open shells at once. */
export function registerLifecycleRoutes(app: FastifyInstance, deps: LifecycleRouteDeps): void {
  const { registry, guards, approvals, enablement, audit } = deps;
  const admin = { preHandler: [guards.requireUser, guards.requireInstanceAdmin] };

  async function respond(name: string): Promise<PluginDetail> {
    await registry.refresh();
    return toDetail(requirePlugin(registry, name), (await enablement.load()).get(name));
  }

  function manifestOf(request: FastifyRequest<NameParams>) {
    const plugin = requirePlugin(registry, request.params.name);
    if (!plugin.manifest)
      throw new HttpError('conflict', `Plugin "${plugin.name}" has no valid manifest: ${plugin.reason ?? ''}`);
    return plugin.manifest;
  }

  app.post<NameParams>('/api/plugins/:name/approve', admin, async (request) => {
    const manifest = manifestOf(request);
    const { version } = parseBody(ApproveBody, request.body);
    if (version !== manifest.version) {
      throw new HttpError(
        'conflict',
        `You reviewed version ${version}, but ${manifest.version} is installed now; review it again`,
      );
    }
    const user = currentUser(request);
    await approvals.approve(manifest.name, manifest.version, manifest.capabilities, user.id);
    await audit.record({
      actor: user,
      action: 'plugin.approve',
      target: manifest.name,
      details: { version, capabilities: manifest.capabilities },
    });
    return respond(manifest.name);
  });

  for (const [action, enabled] of [
    ['enable', true],
    ['disable', false],
  ] as const) {
    app.post<NameParams>(`/api/plugins/:name/${action}`, admin, async (request) => {
      const plugin = requirePlugin(registry, request.params.name);
      const user = currentUser(request);
      await enablement.setGlobal(plugin.name, enabled, user.id);
      await audit.record({ actor: user, action: `plugin.${action}`, target: plugin.name });
      return respond(plugin.name);
    });
  }

  app.post<NameParams>('/api/plugins/:name/reload', admin, async (request) => {
    const plugin = requirePlugin(registry, request.params.name);
    await audit.record({ actor: currentUser(request), action: 'plugin.reload', target: plugin.name });
    // Discovery re-reads every folder; only plugins whose files changed get a new revision.
    return respond(plugin.name);
  });

  app.put<{ Params: { name: string; workspace: string } }>(
    '/api/plugins/:name/workspaces/:workspace',
    admin,
    async (request) => {
      const plugin = requirePlugin(registry, request.params.name);
      const workspace = deps.workspaces.find((w) => w.name === request.params.workspace);
      if (!workspace) throw new HttpError('workspace_not_found', `No workspace named "${request.params.workspace}"`);
      const { enabled } = parseBody(WorkspaceRuleBody, request.body);
      const user = currentUser(request);
      await enablement.set(plugin.name, workspace.name, enabled, user.id);
      await audit.record({
        actor: user,
        action: 'plugin.workspace',
        target: plugin.name,
        workspace: workspace.name,
        details: { enabled },
      });
      return respond(plugin.name);
    },
  );
}
