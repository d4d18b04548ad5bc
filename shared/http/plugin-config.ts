import { z } from 'zod';
import { defineRoute } from '@dbt-workbench/plugin-sdk/contracts/http';
import { PluginConfigView, PluginWorkspaceConfigView } from '../api.schema.ts';

// A plugin's configuration, validated against its manifest's JSON Schema: the global one (instance admins) and a
// workspace's override of it (that workspace's admins). A saved change reaches open shells and backends at once.

const ConfigBody = z.object({ config: z.record(z.string(), z.unknown()) });
const InWorkspace = z.object({ name: z.string(), workspace: z.string() });

export const getPluginConfig = defineRoute({
  method: 'GET',
  path: '/api/plugins/:name/config',
  params: z.object({ name: z.string() }),
  responses: { 200: PluginConfigView },
});

export const setPluginConfig = defineRoute({
  method: 'PUT',
  path: '/api/plugins/:name/config',
  params: z.object({ name: z.string() }),
  body: ConfigBody,
  responses: { 200: PluginConfigView },
});

export const getWorkspaceConfig = defineRoute({
  method: 'GET',
  path: '/api/plugins/:name/config/workspaces/:workspace',
  params: InWorkspace,
  responses: { 200: PluginWorkspaceConfigView },
});

/** The override's fields replace the global ones; the merged configuration must fit the plugin's schema. */
export const setWorkspaceConfig = defineRoute({
  method: 'PUT',
  path: '/api/plugins/:name/config/workspaces/:workspace',
  params: InWorkspace,
  body: ConfigBody,
  responses: { 200: PluginWorkspaceConfigView },
});

/** Back to the global configuration. */
export const resetWorkspaceConfig = defineRoute({
  method: 'DELETE',
  path: '/api/plugins/:name/config/workspaces/:workspace',
  params: InWorkspace,
  responses: { 200: PluginWorkspaceConfigView },
});
