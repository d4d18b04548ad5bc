import { z } from 'zod';
import { Capability } from '@dbt-workbench/plugin-sdk/contracts/capabilities';
import { WorkspaceRole } from '@dbt-workbench/plugin-sdk/contracts/roles';
import { ToolEffect } from '@dbt-workbench/plugin-sdk/contracts/tools.schema';

// The tools API the command palette uses (`/api/workspaces/:workspace/tools`); the MCP endpoint (`/mcp/<workspace>`)
// lists and calls the same tools with the same checks.

/** How a result is best shown: a table (`rows` of objects), markdown (`markdown` text) or JSON. */
export const ToolResultView = z.enum(['table', 'markdown', 'json']);
export type ToolResultView = z.infer<typeof ToolResultView>;

/** One tool a caller may use in a workspace. */
export const ToolDescriptor = z.object({
  /** How callers name it: `<plugin>.<name>` for a plugin's tool, the bare name for a core tool. */
  id: z.string(),
  title: z.string(),
  description: z.string(),
  effect: ToolEffect,
  /** JSON Schema of the arguments (`type: object`): the palette builds its form from it. */
  parameters: z.record(z.string(), z.unknown()),
  /** JSON Schema of the result, when the tool declares one. */
  result: z.record(z.string(), z.unknown()).optional(),
  /** `table` when the result schema has an array of objects under `rows`, `markdown` with a string `markdown`. */
  view: ToolResultView,
  /** The plugin offering it, or null for the app's own tools. */
  plugin: z.object({ name: z.string(), displayName: z.string(), version: z.string() }).nullable(),
  /** The capabilities its handler uses (plugin tools) or the least role it needs (core tools). */
  capabilities: z.array(Capability),
  minRole: WorkspaceRole,
});
export type ToolDescriptor = z.infer<typeof ToolDescriptor>;

/** `GET /api/workspaces/:workspace/tools`: the tools of plugins active and enabled there, and the core tools. */
export const ToolList = z.object({ workspace: z.string(), tools: z.array(ToolDescriptor) });
export type ToolList = z.infer<typeof ToolList>;

/** `POST /api/workspaces/:workspace/tools/:tool/call`. */
export const ToolCallBody = z.object({ arguments: z.record(z.string(), z.unknown()).default({}) });
export type ToolCallBody = z.input<typeof ToolCallBody>;

/** The answer of a call that succeeded; a failed one answers `{error: {code, message, details?}}`. */
export const ToolCallResult = z.object({
  tool: z.string(),
  result: z.record(z.string(), z.unknown()),
  view: ToolResultView,
  durationMs: z.number(),
});
export type ToolCallResult = z.infer<typeof ToolCallResult>;

/** `details` of a `tool_arguments_invalid` error: each problem with the field it is about (`/model`, or `` for the whole). */
export const ToolArgumentProblem = z.object({ field: z.string(), message: z.string() });
export type ToolArgumentProblem = z.infer<typeof ToolArgumentProblem>;
