import { existsSync } from 'node:fs';
import path from 'node:path';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { WorkspaceListing } from '../../shared/api.schema.ts';
import * as api from '../../shared/http/workspaces.ts';
import type { AuditLog } from '../audit/audit-log.ts';
import { currentUser, type Guards } from '../auth/guards.ts';
import { contractRoute } from '../http/contract-route.ts';
import type { ListedWorkspace, WorkspaceDirectory } from './directory.ts';

const listingOf = ({ workspace, source }: ListedWorkspace): WorkspaceListing => ({
  name: workspace.name,
  title: workspace.title,
  projectDir: workspace.projectDir,
  targetDir: workspace.targetDir,
  source,
  hasManifest: existsSync(path.join(workspace.targetDir, 'manifest.json')),
});

export interface WorkspaceAdminDeps {
  directory: WorkspaceDirectory;
  guards: Guards;
  audit: AuditLog;
}

/** Instance admins add, rename, re-point and remove workspaces (`/api/workspaces`); every change is audited. */
export function registerWorkspaceAdminRoutes(app: FastifyInstance, deps: WorkspaceAdminDeps): void {
  const { directory, guards, audit } = deps;
  const admin = { guards: [guards.requireUser, guards.requireInstanceAdmin] };
  const listed = (name: string) => listingOf(directory.listing().find((l) => l.workspace.name === name)!);
  const record = (request: FastifyRequest, action: string, workspace: string, details: unknown) =>
    audit.record({ actor: currentUser(request), action, target: workspace, workspace, details });

  contractRoute(app, api.listWorkspaces, admin, async () => ({ workspaces: directory.listing().map(listingOf) }));

  contractRoute(app, api.addWorkspace, admin, async (request, reply) => {
    const body = request.body;
    const workspace = await directory.add(
      { name: body.name, title: body.title ?? body.name, projectDir: body.projectDir },
      currentUser(request).id,
    );
    await record(request, 'workspace.add', workspace.name, {
      title: workspace.title,
      projectDir: workspace.projectDir,
    });
    reply.status(201);
    return listed(workspace.name);
  });

  contractRoute(app, api.updateWorkspace, admin, async (request) => {
    const changes = request.body;
    const before = directory.all.find((w) => w.name === request.params.workspace);
    const workspace = await directory.update(request.params.workspace, changes, currentUser(request).id);
    await record(request, 'workspace.update', workspace.name, {
      ...(changes.title === undefined ? {} : { title: { from: before?.title, to: workspace.title } }),
      ...(changes.projectDir === undefined
        ? {}
        : { projectDir: { from: before?.projectDir, to: workspace.projectDir } }),
    });
    return listed(workspace.name);
  });

  contractRoute(app, api.removeWorkspace, admin, async (request) => {
    const workspace = await directory.remove(request.params.workspace, currentUser(request).id);
    await record(request, 'workspace.remove', workspace.name, { projectDir: workspace.projectDir });
    return {
      removed: workspace.name,
      keptFolder: workspace.projectDir,
      message: `Removed workspace "${workspace.title}" from the app and ended its memberships; its dbt project folder ${workspace.projectDir} is left on disk as it was.`,
    };
  });
}
