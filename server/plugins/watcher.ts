import { watch, type FSWatcher } from 'node:fs';
import { opendir } from 'node:fs/promises';
import path from 'node:path';
import type { Logger } from 'pino';
import type { PluginRegistry } from './registry.ts';
import { folderIdentity } from '../sandbox/backend-watcher.ts';
import { isInside } from './installation/layout.ts';

/** Folders watched at most per plugin, and entries looked at to find them: a hostile folder costs no more. */
export const MAX_WATCHED_FOLDERS_PER_PLUGIN = 256;
const MAX_ENTRIES_PER_PLUGIN = 10_000;
/** Levels of PLUGINS_DIRECTORY watched for new plugin folders: as deep as discovery searches. */
const SEARCH_DEPTH = 3;
const unwatched = (name: string) => name.startsWith('.') || name === 'node_modules';

/**
 * The folders of one tree, breadth first, at most `maxFolders` of them and `maxEntries` entries looked at, read
 * a few entries at a time (never a synchronous walk: a plugin folder of 20,000 files must not hold the server).
 */
async function foldersOf(root: string, maxDepth: number, maxFolders: number, maxEntries: number): Promise<string[]> {
  const found = [root];
  let entries = 0;
  for (let i = 0; i < found.length && found.length < maxFolders; i++) {
    const dir = found[i]!;
    const depth = path.relative(root, dir).split(path.sep).filter(Boolean).length;
    if (depth >= maxDepth) continue;
    const handle = await opendir(dir).catch(() => undefined);
    if (!handle) continue;
    for await (const entry of handle) {
      if (++entries > maxEntries || found.length >= maxFolders) break;
      if (entry.isDirectory() && !unwatched(entry.name)) found.push(path.join(dir, entry.name));
    }
  }
  return found;
}

/**
 * Refreshes the registry when anything in the plugins directory changes, debounced so a build that writes many
 * files causes one refresh, then once more a moment later: a build that deletes and recreates its output folder
 * can leave writes no watcher reports, and the second look catches them. Only plugins whose state or build
 * changed are reported.
 *
 * Each folder is watched on its own (Node's recursive watch on Linux reads and stats every file synchronously and
 * watches each one): PLUGINS_DIRECTORY down to the depth discovery searches, and the folders of each plugin, at
 * most MAX_WATCHED_FOLDERS_PER_PLUGIN of them (`node_modules` and dot folders left out). The set follows each
 * refresh, so new folders are watched as they appear, and a folder moved in under a watched path (an update or a
 * rollback through the API) is watched in place of the one moved away.
 */
export function watchPluginsDirectory(
  directory: string,
  registry: PluginRegistry,
  logger: Logger,
  debounceMs = 150,
  settleMs = 1_000,
): () => void {
  let timer: ReturnType<typeof setTimeout> | undefined;
  let settle: ReturnType<typeof setTimeout> | undefined;
  let closed = false;
  const watchers = new Map<string, FSWatcher>();
  /** Each plugin folder's identity when its watches were opened: a watch follows the folder, not the path. */
  const roots = new Map<string, string | undefined>();

  function changed(): void {
    clearTimeout(timer);
    clearTimeout(settle);
    timer = setTimeout(() => {
      void refresh();
      settle = setTimeout(() => void refresh(), settleMs);
    }, debounceMs);
  }

  function watchFolder(folder: string): void {
    try {
      const watcher = watch(folder, changed);
      watcher.on('error', () => unwatch(folder));
      watchers.set(folder, watcher);
    } catch (error) {
      if (folder === directory)
        logger.warn(
          { err: error, directory },
          'cannot watch the plugins directory; changes need POST /api/plugins/:name/reload or a restart',
        );
    }
  }

  function unwatch(folder: string): void {
    watchers.get(folder)?.close();
    watchers.delete(folder);
  }

  /** Watches the folders that exist now: the plugins directory's own, and each plugin's. */
  async function follow(): Promise<void> {
    const wanted = new Set(await foldersOf(directory, SEARCH_DEPTH, 1_000, 10_000));
    for (const plugin of registry.list()) {
      const folders = await foldersOf(plugin.directory, 64, MAX_WATCHED_FOLDERS_PER_PLUGIN, MAX_ENTRIES_PER_PLUGIN);
      for (const folder of folders) wanted.add(folder);
    }
    if (closed) return;
    // A plugin folder an update or a rollback replaced under the same path is watched anew, with its subfolders.
    for (const plugin of registry.list()) {
      const identity = await folderIdentity(plugin.directory);
      if (closed) return;
      if (roots.has(plugin.directory) && roots.get(plugin.directory) !== identity)
        for (const folder of [...watchers.keys()]) if (isInside(plugin.directory, folder)) unwatch(folder);
      roots.set(plugin.directory, identity);
    }
    for (const folder of [...watchers.keys()]) if (!wanted.has(folder)) unwatch(folder);
    for (const folder of wanted) if (!watchers.has(folder)) watchFolder(folder);
  }

  async function refresh(): Promise<void> {
    try {
      await registry.refresh();
      await follow();
    } catch (error) {
      logger.error({ err: error }, 'plugin refresh after a change failed');
    }
  }

  void follow().catch((error: unknown) => logger.error({ err: error }, 'watching the plugins directory failed'));
  return () => {
    closed = true;
    clearTimeout(timer);
    clearTimeout(settle);
    for (const folder of [...watchers.keys()]) unwatch(folder);
  };
}
