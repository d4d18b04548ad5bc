import { existsSync } from 'node:fs';
import path from 'node:path';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { WorkspaceListing } from '../../shared/api.schema.ts';
import type { AuditLog } from '../audit/audit-log.ts';
import { currentUser, type Guards } from '../auth/guards.ts';
import { parseBody } from '../http/body.ts';
import { WorkspaceName } from './config.ts';
import type { ListedWorkspace, WorkspaceDirectory } from './directory.ts';

const Title = z.string().trim().min(1, 'must not be empty').max(80, 'must be at most 80 characters');
const ProjectDir = z.string().trim().min(1, 'must name the dbt project folder on the server');

const NewWorkspaceBody = z.object({
  name: WorkspaceName.max(40, 'must be at most 40 characters'),
  title: Title.optional(),
  projectDir: ProjectDir,
});
const WorkspaceChanges = z
  .object({ title: Title.optional(), projectDir: ProjectDir.optional() })
  .strict()
  .refine((c) => c.title !== undefined || c.projectDir !== undefined, 'name a new title or projectDir');

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
  const admin = { preHandler: [guards.requireUser, guards.requireInstanceAdmin] };
  type ByName = { Params: { workspace: string } };
  const listed = (name: string) => listingOf(directory.listing().find((l) => l.workspace.name === name)!);
  const record = (request: FastifyRequest, action: string, workspace: string, details: unknown) =>
    audit.record({ actor: currentUser(request), action, target: workspace, workspace, details });

  app.get('/api/workspaces', admin, async () => ({ workspaces: directory.listing().map(listingOf) }));

  app.post('/api/workspaces', admin, async (request, reply) => {
    const body = parseBody(NewWorkspaceBody, request.body);
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

  app.patch<ByName>('/api/workspaces/:workspace', admin, async (request) => {
    const changes = parseBody(WorkspaceChanges, request.body);
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

  app.delete<ByName>('/api/workspaces/:workspace', admin, async (request) => {
    const workspace = await directory.remove(request.params.workspace, currentUser(request).id);
    await record(request, 'workspace.remove', workspace.name, { projectDir: workspace.projectDir });
    return {
      removed: workspace.name,
      keptFolder: workspace.projectDir,
      message: `Removed workspace "${workspace.title}" from the app and ended its memberships; its dbt project folder ${workspace.projectDir} is left on disk as it was.`,
    };
  });
}
