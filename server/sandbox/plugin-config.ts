import type { PluginRegistry } from '../plugins/registry.ts';

/**
 * A plugin's configuration as `host.config.get()` returns it: the same effective configuration the
 * registry resolved (stored values checked against the manifest's JSON Schema, defaults filled in).
 */
export function pluginConfigReader(plugins: PluginRegistry): (name: string) => Promise<unknown> {
  return async (name) => plugins.get(name)?.config ?? null;
}
