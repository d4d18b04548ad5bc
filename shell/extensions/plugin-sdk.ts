import type { PluginSdk } from '../../shared/sdk/plugin-sdk.ts';

import type { WorkspaceRole } from '../../shared/roles.ts';
import type { NotificationTone } from '../notifications/notifications.ts';

export interface SdkContext {
  plugin: { name: string; version: string; displayName: string };
  workspace: { name: string; title: string };
  user: { username: string; displayName: string; role: WorkspaceRole };
  navigate(to: string): void;
  notify(notification: { message: string; tone: NotificationTone; source: string }): void;
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

/** The SDK one plugin's contributions receive: everything is scoped to that plugin and workspace. */
export function createPluginSdk(context: SdkContext): PluginSdk {
  return {
    apiVersion: 1,
    plugin: { name: context.plugin.name, version: context.plugin.version },
    workspace: context.workspace,
    user: context.user,
    fetch: (path, init) => fetch(pluginApiUrl(context.plugin.name, path), { credentials: 'same-origin', ...init }),
    navigate: context.navigate,
    notify: (message, options) =>
      context.notify({
        message: String(message).slice(0, 500),
        tone: options?.tone ?? 'info',
        source: context.plugin.displayName,
      }),
  };
}
