import { watch, type FSWatcher } from 'node:fs';
import path from 'node:path';
import type { Logger } from 'pino';
import type { PluginRecord } from '../plugins/evaluate.ts';

/**
 * Watches the `backend/` folder of every plugin with a backend entry and calls `changed` (debounced) when a file
 * there changes: the registry's revision covers the manifest and the remote, not the backend's code.
 */
export function watchBackends(logger: Logger, changed: () => void, debounceMs = 150) {
  const watchers = new Map<string, FSWatcher>();
  let timer: NodeJS.Timeout | undefined;
  const poke = () => {
    clearTimeout(timer);
    timer = setTimeout(changed, debounceMs);
  };
  return {
    /** Follows the plugins given: starts watching new backend folders and stops watching gone ones. */
    follow(plugins: readonly PluginRecord[]): void {
      const wanted = new Set(
        plugins
          .filter((p) => p.state === 'active' && p.manifest?.backend?.entry)
          .map((p) => path.join(p.directory, 'backend')),
      );
      for (const [dir, watcher] of watchers) {
        if (wanted.has(dir)) continue;
        watcher.close();
        watchers.delete(dir);
      }
      for (const dir of wanted) {
        if (watchers.has(dir)) continue;
        try {
          const watcher = watch(dir, { recursive: true }, poke);
          watcher.on('error', () => watcher.close());
          watchers.set(dir, watcher);
        } catch (error) {
          logger.warn(
            { err: error, directory: dir },
            'cannot watch a plugin backend folder; reload the plugin after changes',
          );
        }
      }
    },
    close(): void {
      clearTimeout(timer);
      for (const watcher of watchers.values()) watcher.close();
      watchers.clear();
    },
  };
}
