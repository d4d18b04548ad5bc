import { z } from 'zod';
import { Capability } from './capabilities.ts';

/**
 * A tool's name within its plugin: lowercase letters, digits and underscores, like `set_owner`. People and agents
 * call it as `<plugin>.<name>` (core tools have no plugin part), which MCP clients accept as a tool name.
 */
export const ToolName = z
  .string()
  .min(2, 'must be at least 2 characters')
  .max(64, 'must be at most 64 characters')
  .regex(
    /^[a-z][a-z0-9_]*$/,
    'must be lowercase letters, digits and underscores, starting with a letter, like "set_owner"',
  );

/** Whether a tool only reads (`read`) or also changes something (`change`): clients ask before a change. */
export const ToolEffect = z.enum(['read', 'change']);
export type ToolEffect = z.infer<typeof ToolEffect>;

/** The largest tool schema, as JSON: the server compiles it (Ajv), which takes about 1 ms per property. */
export const MAX_TOOL_SCHEMA_BYTES = 16 * 1024;

/** A JSON Schema (draft 2020-12 or 07) describing an object: a tool's parameters or result. */
export const ToolJsonSchema = z
  .record(z.string(), z.unknown())
  .refine((schema) => schema.type === 'object', {
    message: 'must be a JSON Schema with "type": "object"',
    params: { rule: 'object-schema' },
  })
  .refine((schema) => JSON.stringify(schema).length <= MAX_TOOL_SCHEMA_BYTES, {
    message: `must take at most ${MAX_TOOL_SCHEMA_BYTES / 1024} KB as JSON`,
    params: { rule: 'max-size' },
  });
export type ToolJsonSchema = z.infer<typeof ToolJsonSchema>;

/**
 * A tool a plugin offers to people (the command palette) and agents (MCP), declared in `manifest.tools`; its
 * backend implements it with `host.tools.register(name, handler)`. Part of the approval: a new or changed tool
 * waits for an admin.
 */
export const ToolDeclaration = z.object({
  name: ToolName,
  title: z.string().trim().min(1, 'must not be empty').max(80, 'must be at most 80 characters'),
  description: z.string().trim().min(1, 'must not be empty').max(1000, 'must be at most 1000 characters'),
  /** What the caller sends; validated by the server before the backend sees it. */
  parameters: ToolJsonSchema,
  /** What the tool answers; validated by the server before the caller sees it. Without it, any JSON object. */
  result: ToolJsonSchema.optional(),
  effect: ToolEffect,
  /** The capabilities its handler uses; each must be approved for the plugin, or calls are refused. */
  capabilities: z
    .array(Capability)
    .refine((items) => new Set(items).size === items.length, {
      message: 'must not list the same value twice',
      params: { rule: 'unique' },
    })
    .default([]),
});
export type ToolDeclaration = z.infer<typeof ToolDeclaration>;

/** The tools of a manifest, each name once. */
export const ToolDeclarations = z.array(ToolDeclaration).superRefine((tools, ctx) => {
  const seen = new Set<string>();
  tools.forEach((tool, index) => {
    if (seen.has(tool.name)) {
      ctx.addIssue({
        code: 'custom',
        path: [index, 'name'],
        message: `must be unique within the plugin ("${tool.name}" is used twice)`,
        params: { rule: 'unique' },
      });
    }
    seen.add(tool.name);
  });
});

/** Keys sorted at every level, so two equal schemas give the same text. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/**
 * A short fingerprint of everything an admin approves about a tool (effect, capabilities, schemas, words): the
 * approval key carries it, so a changed tool waits for approval again. FNV-1a 64 over the canonical JSON; pure,
 * and the same in the browser and the server.
 */
export function toolFingerprint(tool: ToolDeclaration): string {
  const text = canonical(tool);
  let hash = 0xcbf29ce484222325n;
  for (let i = 0; i < text.length; i++) {
    hash ^= BigInt(text.charCodeAt(i));
    hash = (hash * 0x100000001b3n) & 0xffffffffffffffffn;
  }
  return hash.toString(16).padStart(16, '0').slice(0, 12);
}
