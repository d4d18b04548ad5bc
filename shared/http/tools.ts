import { z } from 'zod';
import { defineRoute } from '@dbt-workbench/plugin-sdk/contracts/http';
import { ToolCallBody, ToolCallResult, ToolList } from '../tools.schema.ts';

// The command palette's tools, for any member of the workspace; each tool checks its own role and arguments.

const InWorkspace = z.object({ workspace: z.string() });

/** The tools this user may use in the workspace. */
export const listTools = defineRoute({
  method: 'GET',
  path: '/api/workspaces/:workspace/tools',
  params: InWorkspace,
  responses: { 200: ToolList },
});

/** Runs one tool with its arguments; the call is audited. */
export const callTool = defineRoute({
  method: 'POST',
  path: '/api/workspaces/:workspace/tools/:tool/call',
  params: InWorkspace.extend({ tool: z.string() }),
  body: ToolCallBody,
  responses: { 200: ToolCallResult },
});
