import { statSync, watch, type FSWatcher } from 'node:fs';
import { stat } from 'node:fs/promises';
import path from 'node:path';
import type { Logger } from 'pino';
import type { PluginRecord } from '../plugins/evaluate.ts';

/** Which folder a path names now: an update or a rollback moves another folder in under the same path. */
export async function folderIdentity(dir: string): Promise<string | undefined> {
  const s = await stat(dir).catch(() => undefined);
  return s && `${s.dev}:${s.ino}`;
}

function folderIdentityNow(dir: string): string | undefined {
  try {
    const s = statSync(dir);
    return `${s.dev}:${s.ino}`;
  } catch {
    return undefined;
  }
}

/**
 * Watches the `backend/` folder of every plugin with a backend entry and calls `changed` (debounced) when a file
 * there changes: the registry's revision covers the manifest and the remote, not the backend's code. A watch
 * follows the folder it was opened on, so a path whose folder was replaced (an update, a rollback) is watched anew.
 */
export function watchBackends(logger: Logger, changed: () => void, debounceMs = 150) {
  const watchers = new Map<string, { watcher: FSWatcher; identity: string | undefined }>();
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
      const identities = new Map([...wanted].map((dir) => [dir, folderIdentityNow(dir)]));
      for (const [dir, { watcher, identity }] of watchers) {
        if (wanted.has(dir) && identities.get(dir) === identity) continue;
        watcher.close();
        watchers.delete(dir);
      }
      for (const dir of wanted) {
        if (watchers.has(dir)) continue;
        try {
          const watcher = watch(dir, { recursive: true }, poke);
          watcher.on('error', () => watcher.close());
          watchers.set(dir, { watcher, identity: identities.get(dir) });
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
      for (const { watcher } of watchers.values()) watcher.close();
      watchers.clear();
    },
  };
}
