import type { HostData, PluginSdk } from '@dbt-workbench/plugin-sdk';
import { fetchJson } from '../api/client.ts';
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
  const base = `/api/workspaces/${encodeURIComponent(workspace)}/plugin-data/${encodeURIComponent(plugin)}`;
  const send = <T>(url: string, init?: RequestInit) =>
    tokens.withToken(workspace, plugin, (headers) => fetchJson<T>(url, { ...init, headers }));
  const get = <T>(path: string, params: Record<string, string | number | undefined> = {}) => {
    const query = new URLSearchParams(
      Object.entries(params).flatMap(([k, v]) => (v === undefined || v === '' ? [] : [[k, String(v)]])),
    ).toString();
    return send<T>(`${base}/${path}${query ? `?${query}` : ''}`);
  };
  return {
    models: (query = {}) => get('models', query),
    node: (uniqueId) => get(`nodes/${encodeURIComponent(uniqueId)}`),
    search: (q, limit) => get('search', { q, limit }),
    summary: () => get('catalog/summary'),
    runs: () => get('runs'),
    sql: (sql, limit) => send(`${base}/sql/query`, { method: 'POST', body: JSON.stringify({ sql, limit }) }),
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
