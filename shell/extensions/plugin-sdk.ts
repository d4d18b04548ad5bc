import type { HostData, PluginSdk } from '@dbt-workbench/plugin-sdk';
import type { RouteContract, RouteInput } from '@dbt-workbench/plugin-sdk/contracts/http';
import { getCatalogSummary, getNode, listModels, searchCatalog } from '../../shared/http/catalog.ts';
import { listRuns } from '../../shared/http/runs.ts';
import { runSqlQuery } from '../../shared/http/sql.ts';
import { callApi } from '../api/client.ts';
import { createPluginStorage } from './plugin-storage.ts';
import type { PluginTokens } from './plugin-tokens.ts';

import type { WorkspaceRole } from '@dbt-workbench/plugin-sdk/contracts/roles';
import type { NotificationTone } from '../notifications/notifications.ts';

export interface SdkContext {
  plugin: { name: string; version: string; displayName: string };
  config: Record<string, unknown>;
  workspace: { name: string; title: string };
  user: { username: string; displayName: string; role: WorkspaceRole };
  navigate(to: string): void;
  notify(notification: { message: string; tone: NotificationTone; source: string }): void;
  /** The server's proof of which plugin calls: sent with every host data call. */
  tokens: PluginTokens;
}

/** Routes a plugin's relative path to its own API prefix, refusing anything that could leave it. */
export function pluginApiUrl(plugin: string, path: string): string {
  if (/^[a-z]+:/i.test(path) || path.startsWith('//')) throw new Error(`sdk.fetch takes a path, not a URL: ${path}`);
  const clean = path.replace(/^\/+/, '');
  if (clean.split(/[/?#]/)[0] === '..' || clean.split('/').includes('..')) {
    throw new Error(`sdk.fetch paths may not contain "..": ${path}`);
  }
  return `/api/ext/${plugin}/${clean}`;
}

/**
 * `sdk.data` for one plugin in one workspace: the host data APIs through the plugin's capability gate, each
 * call carrying the plugin's token so the server knows which plugin asks without trusting the URL.
 */
export function createHostData(plugin: string, workspace: string, tokens: PluginTokens): HostData {
  const direct = `/api/workspaces/${encodeURIComponent(workspace)}`;
  const base = `${direct}/plugin-data/${encodeURIComponent(plugin)}`;
  // The proxy answers each core route's contract under the plugin's prefix.
  const via = (url: string) => `${base}${url.slice(direct.length)}`;
  const call = <C extends RouteContract>(contract: C, input: RouteInput<C>) =>
    tokens.withToken(workspace, plugin, (headers) => callApi(contract, input, { headers, via }));
  const params = { workspace };
  const given = <T extends object>(query: T) =>
    Object.fromEntries(Object.entries(query).filter(([, v]) => v !== undefined && v !== '')) as Partial<T>;
  return {
    models: (query = {}) => call(listModels, { params, query: given(query) }),
    node: (uniqueId) => call(getNode, { params: { workspace, uniqueId } }),
    search: (q, limit) => call(searchCatalog, { params, query: given({ q, limit }) }),
    summary: () => call(getCatalogSummary, { params }),
    runs: () => call(listRuns, { params }),
    sql: (sql, limit) => call(runSqlQuery, { params, body: { sql, limit } }),
  };
}

/** The SDK one plugin's contributions receive: everything is scoped to that plugin and workspace. */
export function createPluginSdk(context: SdkContext): PluginSdk {
  return {
    apiVersion: 1,
    plugin: { name: context.plugin.name, version: context.plugin.version },
    workspace: context.workspace,
    config: context.config,
    user: context.user,
    // The workspace travels in a header so the plugin's backend routes know where the user is.
    fetch: (path, init) =>
      fetch(pluginApiUrl(context.plugin.name, path), {
        credentials: 'same-origin',
        ...init,
        headers: {
          ...(init?.headers as Record<string, string> | undefined),
          'x-workbench-workspace': context.workspace.name,
        },
      }),
    data: createHostData(context.plugin.name, context.workspace.name, context.tokens),
    storage: createPluginStorage(context.plugin.name),
    navigate: context.navigate,
    notify: (message, options) =>
      context.notify({
        message: String(message).slice(0, 500),
        tone: options?.tone ?? 'info',
        source: context.plugin.displayName,
      }),
  };
}
