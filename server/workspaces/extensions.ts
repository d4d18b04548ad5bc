import type { Extension } from '../../shared/api.schema.ts';
import { chunkGlobalFor, remoteNameFor } from '@dbt-workbench/plugin-sdk/contracts/versions';
import { assetUrl } from '../plugins/assets.ts';
import type { Json } from '@dbt-workbench/plugin-sdk/node/configuration';
import type { RegisteredPlugin } from '../plugins/registry.ts';
import { effectiveWorkspaceConfig } from '../plugins/workspace-config.ts';

/**
 * The contributions of plugins active and enabled in a workspace, each naming its plugin and its remote and
 * carrying the workspace's effective configuration (`overrides`: the workspace's overrides by plugin). Pure.
 */
export function extensionsOf(
  plugins: readonly RegisteredPlugin[],
  workspace: string,
  overrides: ReadonlyMap<string, Json> = new Map(),
): Extension[] {
  return plugins.flatMap((plugin) => {
    const manifest = plugin.manifest;
    if (plugin.state !== 'active' || !plugin.enabledWorkspaces.includes(workspace) || !manifest?.frontend) return [];
    const remoteEntry = manifest.frontend.remote;
    const entry = /^https?:/.test(remoteEntry) ? remoteEntry : assetUrl(plugin, `frontend/${remoteEntry}`);
    const remote = {
      plugin: plugin.name,
      name: remoteNameFor(plugin.name),
      entry,
      chunkGlobal: chunkGlobalFor(plugin.name),
      revision: plugin.revision,
      ...(plugin.remotePin
        ? { pin: { manifestSha256: plugin.remotePin.manifestSha256, integrity: plugin.remotePin.assets } }
        : {}),
    };
    const owner = {
      plugin: plugin.name,
      pluginDisplayName: manifest.displayName,
      pluginVersion: manifest.version,
      pluginConfig: effectiveWorkspaceConfig(manifest, plugin.config, overrides.get(plugin.name)),
      uiTrust: plugin.uiTrust,
      pluginCapabilities: plugin.approvedCapabilities,
    };
    return manifest.frontend.contributions.map((c) => ({ ...c, ...owner, ...('module' in c ? { remote } : {}) }));
  });
}
