import { watch, type FSWatcher } from 'node:fs';
import type { Logger } from 'pino';
import type { PluginRegistry } from './registry.ts';

/**
 * Refreshes the registry when anything under the plugins directory changes, debounced so a build that
 * writes many files causes one refresh, then once more a moment later: a build that deletes and recreates
 * its output folder can leave writes the recursive watcher never reports, and the second look catches
 * them. Only plugins whose state or build changed are reported.
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
  let watcher: FSWatcher | undefined;
  const refresh = () =>
    registry.refresh().catch((error: unknown) => logger.error({ err: error }, 'plugin refresh after a change failed'));
  try {
    watcher = watch(directory, { recursive: true }, () => {
      clearTimeout(timer);
      clearTimeout(settle);
      timer = setTimeout(() => {
        void refresh();
        settle = setTimeout(() => void refresh(), settleMs);
      }, debounceMs);
    });
    watcher.on('error', (error) => logger.warn({ err: error, directory }, 'the plugins directory watcher stopped'));
  } catch (error) {
    logger.warn(
      { err: error, directory },
      'cannot watch the plugins directory; changes need POST /api/plugins/:name/reload or a restart',
    );
  }
  return () => {
    clearTimeout(timer);
    clearTimeout(settle);
    watcher?.close();
  };
}
