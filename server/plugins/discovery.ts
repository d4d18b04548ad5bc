import { opendir, stat } from 'node:fs/promises';
import path from 'node:path';
import type { Logger } from 'pino';
import { isFile } from '@dbt-workbench/plugin-sdk/node/candidate';

/** Folders never searched for plugins: build inputs and outputs inside a plugin, and dependencies. */
const skipped = new Set(['node_modules', 'src', 'frontend', 'backend', 'static', 'dist']);
const MAX_DEPTH = 3;
/** Entries of PLUGINS_DIRECTORY and its subfolders looked at, at most, in one discovery. */
export const MAX_ENTRIES_SEARCHED = 10_000;

async function isDirectory(p: string): Promise<boolean> {
  return stat(p).then(
    (s) => s.isDirectory(),
    () => false,
  );
}

/**
 * Lists every directory under `root` (following links, at most three levels deep) that holds a `manifest.json`.
 * A plugin folder is not searched further. Sorted, so duplicate names resolve the same way on every start.
 */
export async function findPluginDirectories(root: string, logger: Logger): Promise<string[]> {
  const found: string[] = [];
  let searched = 0;
  async function walk(dir: string, depth: number): Promise<void> {
    if (await isFile(path.join(dir, 'manifest.json'))) {
      found.push(dir);
      return;
    }
    if (depth >= MAX_DEPTH) return;
    // Read a few entries at a time: a folder of a million entries costs MAX_ENTRIES_SEARCHED of them at most.
    const entries = await opendir(dir).catch(() => []);
    for await (const entry of entries) {
      if (searched++ >= MAX_ENTRIES_SEARCHED) {
        if (searched === MAX_ENTRIES_SEARCHED + 1)
          logger.warn({ directory: dir }, `stopped searching for plugins after ${MAX_ENTRIES_SEARCHED} entries`);
        return;
      }
      if (entry.name.startsWith('.') || skipped.has(entry.name)) continue;
      const child = path.join(dir, entry.name);
      if (!(await isDirectory(child))) continue;
      const before = found.length;
      await walk(child, depth + 1);
      if (found.length === before && depth === 0) {
        logger.debug({ directory: child }, 'skipped a directory without manifest.json');
      }
    }
  }
  if (!(await isDirectory(root))) {
    logger.warn({ pluginsDirectory: root }, 'plugins directory does not exist; no plugins discovered');
    return [];
  }
  await walk(root, 0);
  return found.sort();
}
