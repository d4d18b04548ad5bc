import { statSync, watch, type FSWatcher } from 'node:fs';
import type { Logger } from 'pino';
import type { Disposer } from '../hooks/hook-point.ts';

/** What `watchArtifacts` watches and how patiently. */
export interface WatchOptions {
  /** The folder to watch (a workspace's target/). It may not exist yet. */
  dir: string;
  /** File names in `dir` whose changes matter. */
  files: readonly string[];
  /** Quiet time after the last change before `onChange` runs: dbt writes big files in many chunks. */
  debounceMs: number;
  /** Also call `onChange` this often, for file systems that drop events (0: never). */
  pollMs: number;
  /** How soon to try again when the folder is missing or its watcher failed. */
  retryMs?: number;
  onChange: () => void;
  logger?: Logger;
}

/**
 * Watches a folder for changes to some files (fs.watch, debounced), surviving the folder being absent,
 * deleted or recreated (`dbt clean`). Returns a disposer that stops everything.
 */
export function watchArtifacts(options: WatchOptions): Disposer {
  const retryMs = options.retryMs ?? 2_000;
  let watcher: FSWatcher | null = null;
  /** The inode of the watched folder: a recreated folder needs a new watcher. */
  let watchedInode: number | null = null;
  let debounce: NodeJS.Timeout | null = null;
  let retry: NodeJS.Timeout | null = null;
  let closed = false;

  const changed = () => {
    if (closed) return;
    if (debounce) clearTimeout(debounce);
    debounce = setTimeout(() => {
      debounce = null;
      if (!closed) options.onChange();
    }, options.debounceMs);
    debounce.unref();
  };

  const scheduleRetry = () => {
    if (closed || retry) return;
    retry = setTimeout(() => {
      retry = null;
      start(true);
    }, retryMs);
    retry.unref();
  };

  function start(afterGap: boolean): void {
    if (closed) return;
    try {
      watchedInode = statSync(options.dir).ino;
      watcher = watch(options.dir, { persistent: false }, (_event, filename) => {
        if (filename === null || options.files.includes(String(filename))) changed();
      });
    } catch {
      watcher = null;
      scheduleRetry();
      return;
    }
    watcher.on('error', (error) => {
      options.logger?.debug({ dir: options.dir, err: error }, 'artifact watcher failed; watching again soon');
      watcher?.close();
      watcher = null;
      scheduleRetry();
    });
    // Files may have appeared while nobody watched.
    if (afterGap) changed();
  }

  const inodeNow = (): number | null => {
    try {
      return statSync(options.dir).ino;
    } catch {
      return null;
    }
  };

  start(false);
  const poll =
    options.pollMs > 0
      ? setInterval(() => {
          if (watcher && inodeNow() !== watchedInode) {
            watcher.close();
            watcher = null;
            start(true);
          }
          changed();
        }, options.pollMs)
      : null;
  poll?.unref();

  return () => {
    closed = true;
    watcher?.close();
    if (debounce) clearTimeout(debounce);
    if (retry) clearTimeout(retry);
    if (poll) clearInterval(poll);
  };
}
