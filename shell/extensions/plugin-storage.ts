import type { PluginStorage } from '@dbt-workbench/plugin-sdk';

/**
 * `sdk.storage`: the browser's localStorage, with every key prefixed by the plugin's name, so a plugin
 * reads, writes and clears only its own entries. Values are JSON.
 */
export function createPluginStorage(
  plugin: string,
  storage: Storage = window.localStorage,
): PluginStorage & { entries(): Record<string, unknown> } {
  const prefix = `wb:plugin:${plugin}:`;
  const ownKeys = () =>
    Array.from({ length: storage.length }, (_, i) => storage.key(i)).filter(
      (k): k is string => !!k?.startsWith(prefix),
    );
  const read = (fullKey: string) => {
    const raw = storage.getItem(fullKey);
    if (raw === null) return undefined;
    try {
      return JSON.parse(raw) as unknown;
    } catch {
      return undefined;
    }
  };
  return {
    /** Every entry of this plugin, for an isolated frame, which keeps its own copy. */
    entries: () => Object.fromEntries(ownKeys().map((k) => [k.slice(prefix.length), read(k)])),
    get: (key) => read(prefix + key),
    set(key, value) {
      storage.setItem(prefix + key, JSON.stringify(value));
    },
    remove(key) {
      storage.removeItem(prefix + key);
    },
    clear() {
      for (const key of ownKeys()) storage.removeItem(key);
    },
  };
}
