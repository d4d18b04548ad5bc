import { z } from 'zod';
import { defineRoute } from '@dbt-workbench/plugin-sdk/contracts/http';
import { WorkspaceListing } from '../api.schema.ts';
import { WorkspaceName } from '../workspace-name.ts';

// Instance admins add, rename, re-point and remove workspaces; every change is audited.

const Title = z.string().trim().min(1, 'must not be empty').max(80, 'must be at most 80 characters');
const ProjectDir = z.string().trim().min(1, 'must name the dbt project folder on the server');
const ByName = z.object({ workspace: z.string() });

export const listWorkspaces = defineRoute({
  method: 'GET',
  path: '/api/workspaces',
  responses: { 200: z.object({ workspaces: z.array(WorkspaceListing) }) },
});

export const addWorkspace = defineRoute({
  method: 'POST',
  path: '/api/workspaces',
  body: z.object({
    name: WorkspaceName.max(40, 'must be at most 40 characters'),
    title: Title.optional(),
    projectDir: ProjectDir,
  }),
  responses: { 201: WorkspaceListing },
});

export const updateWorkspace = defineRoute({
  method: 'PATCH',
  path: '/api/workspaces/:workspace',
  params: ByName,
  body: z
    .object({ title: Title.optional(), projectDir: ProjectDir.optional() })
    .strict()
    .refine((c) => c.title !== undefined || c.projectDir !== undefined, 'name a new title or projectDir'),
  responses: { 200: WorkspaceListing },
});

/** Removes the workspace from the app and ends its memberships; its dbt project folder stays on disk. */
export const removeWorkspace = defineRoute({
  method: 'DELETE',
  path: '/api/workspaces/:workspace',
  params: ByName,
  responses: { 200: z.object({ removed: z.string(), keptFolder: z.string(), message: z.string() }) },
});
