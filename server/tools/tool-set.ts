import { roleAllows, type WorkspaceRole } from '@dbt-workbench/plugin-sdk/contracts/roles';
import type { ToolDeclaration } from '@dbt-workbench/plugin-sdk/contracts/tools.schema';
import type { ToolDescriptor, ToolResultView } from '../../shared/tools.schema.ts';
import { HttpError } from '../http/errors.ts';
import type { RegisteredPlugin } from '../plugins/registry.ts';
import { coreTools, type CoreTool } from './core-tools.ts';

/** A tool a caller named, found and allowed: the app's own, or a plugin's declared one. */
export type ResolvedTool =
  | { kind: 'core'; id: string; descriptor: ToolDescriptor; core: CoreTool }
  | { kind: 'plugin'; id: string; descriptor: ToolDescriptor; plugin: RegisteredPlugin; declaration: ToolDeclaration };

/** Plugin tools that change something need a developer, as changes in the app do; reading ones any member. */
export const pluginToolRole = (tool: ToolDeclaration): WorkspaceRole =>
  tool.effect === 'change' ? 'developer' : 'viewer';

/** How the palette shows a result: a table for `rows` of objects, markdown for a `markdown` string, else JSON. */
export function resultView(schema: Record<string, unknown> | undefined): ToolResultView {
  const properties = (schema?.properties ?? {}) as Record<string, { type?: unknown } | undefined>;
  if (properties.rows?.type === 'array') return 'table';
  if (properties.markdown?.type === 'string') return 'markdown';
  return 'json';
}

const coreDescriptors = new Map<string, ToolDescriptor>(
  coreTools.map((tool) => [
    tool.name,
    {
      id: tool.name,
      title: tool.title,
      description: tool.description,
      effect: tool.effect,
      parameters: tool.parameters,
      result: tool.result,
      view: resultView(tool.result),
      plugin: null,
      capabilities: [],
      minRole: tool.minRole,
    },
  ]),
);

/** Descriptors per plugin build (its revision), so a list of many plugins' tools is not rebuilt at each call. */
const pluginDescriptors = new WeakMap<RegisteredPlugin, Map<string, ToolDescriptor>>();

function descriptorsOf(plugin: RegisteredPlugin): Map<string, ToolDescriptor> {
  const known = pluginDescriptors.get(plugin);
  if (known) return known;
  const manifest = plugin.manifest!;
  const made = new Map<string, ToolDescriptor>(
    (manifest.tools ?? []).map((tool) => [
      tool.name,
      {
        id: `${plugin.name}.${tool.name}`,
        title: tool.title,
        description: tool.description,
        effect: tool.effect,
        parameters: tool.parameters,
        ...(tool.result ? { result: tool.result } : {}),
        view: resultView(tool.result),
        plugin: { name: plugin.name, displayName: manifest.displayName, version: manifest.version },
        capabilities: tool.capabilities,
        minRole: pluginToolRole(tool),
      },
    ]),
  );
  pluginDescriptors.set(plugin, made);
  return made;
}

const serves = (plugin: RegisteredPlugin, workspace: string) =>
  plugin.state === 'active' && plugin.enabledWorkspaces.includes(workspace);

/**
 * The tools a member with `role` may use in `workspace`: the core tools their role allows, then the tools of every
 * plugin active and enabled there, in plugin order. Pure over its inputs.
 */
export function toolsFor(
  plugins: readonly RegisteredPlugin[],
  workspace: string,
  role: WorkspaceRole,
): ToolDescriptor[] {
  const tools = [...coreDescriptors.values()].filter((t) => roleAllows(role, t.minRole));
  for (const plugin of plugins) {
    if (!serves(plugin, workspace) || !plugin.manifest?.tools?.length) continue;
    for (const tool of descriptorsOf(plugin).values()) if (roleAllows(role, tool.minRole)) tools.push(tool);
  }
  return tools;
}

/**
 * The tool `id` names for a member with `role` in `workspace`, or the error saying why not, each its own code:
 * `tool_not_found` (no such tool), `tool_unavailable` (its plugin is not active or not enabled here),
 * `tool_capability_missing` (a capability it uses is not approved), `forbidden` (the role is too low).
 */
export function resolveTool(
  plugins: { get(name: string): RegisteredPlugin | undefined },
  workspace: string,
  role: WorkspaceRole,
  id: string,
): ResolvedTool {
  const dot = id.indexOf('.');
  if (dot < 0) {
    const core = coreTools.find((t) => t.name === id);
    if (!core) throw new HttpError('tool_not_found', `No tool named "${id}" in ${workspace}`, { tool: id });
    if (!roleAllows(role, core.minRole))
      throw new HttpError(
        'forbidden',
        `The tool ${id} needs the ${core.minRole} role in ${workspace}; you are ${role}`,
      );
    return { kind: 'core', id, descriptor: coreDescriptors.get(id)!, core };
  }
  const pluginName = id.slice(0, dot);
  const name = id.slice(dot + 1);
  const plugin = plugins.get(pluginName);
  const declaration = plugin?.manifest?.tools?.find((t) => t.name === name);
  if (!plugin || !declaration)
    throw new HttpError('tool_not_found', `No tool named "${id}" in ${workspace}`, { tool: id });
  if (plugin.state !== 'active')
    throw new HttpError(
      'tool_unavailable',
      `The tool ${id} cannot be used: plugin ${pluginName} is ${plugin.state}${plugin.reason ? ` (${plugin.reason})` : ''}`,
      { tool: id, plugin: pluginName, state: plugin.state },
    );
  if (!plugin.enabledWorkspaces.includes(workspace))
    throw new HttpError(
      'tool_unavailable',
      `The tool ${id} cannot be used: plugin ${pluginName} is disabled in workspace ${workspace}`,
      { tool: id, plugin: pluginName, state: 'disabled' },
    );
  const missing = declaration.capabilities.filter((c) => !plugin.approvedCapabilities.includes(c));
  if (missing.length > 0)
    throw new HttpError(
      'tool_capability_missing',
      `The tool ${id} uses the ${missing.join(', ')} capability, which is not approved for plugin ${pluginName}`,
      { tool: id, plugin: pluginName, missing },
    );
  const minRole = pluginToolRole(declaration);
  if (!roleAllows(role, minRole))
    throw new HttpError(
      'forbidden',
      `The tool ${id} changes things and needs the ${minRole} role in ${workspace}; you are ${role}`,
    );
  return { kind: 'plugin', id, descriptor: descriptorsOf(plugin).get(name)!, plugin, declaration };
}
