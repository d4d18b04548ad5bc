import type { PluginRegistry } from '../plugins/registry.ts';
import { effectiveWorkspaceConfig } from '../plugins/workspace-config.ts';
import type { WorkspaceConfigStore } from '../plugins/workspace-config-store.ts';
import { CallFailure } from './failures.ts';

/**
 * A plugin's configuration as `host.config.get()` returns it: the same effective configuration the
 * registry resolved (stored values checked against the manifest's JSON Schema, defaults filled in); with a
 * workspace, that workspace's overrides over it, as its frontend gets them. A workspace the plugin is not enabled
 * in is refused.
 */
export function pluginConfigReader(
  plugins: PluginRegistry,
  overrides: Pick<WorkspaceConfigStore, 'get'>,
): (name: string, workspace?: string) => Promise<unknown> {
  return async (name, workspace) => {
    const record = plugins.get(name);
    if (workspace === undefined) return record?.config ?? null;
    if (!record?.manifest || !record.enabledWorkspaces.includes(workspace))
      throw new CallFailure(
        'rejected',
        `${name} may not read the configuration of workspace "${workspace}": the plugin is not enabled there`,
      );
    return effectiveWorkspaceConfig(record.manifest, record.config, await overrides.get(name, workspace));
  };
}
