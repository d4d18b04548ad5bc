import { watch, type FSWatcher } from 'node:fs';
import type { Logger } from 'pino';
import type { PluginRegistry } from './registry.ts';

/**
 * Refreshes the registry when anything under the plugins directory changes, debounced so a build that
 * writes many files causes one refresh. Only plugins whose state or build changed are reported.
 */
export function watchPluginsDirectory(
  directory: string,
  registry: PluginRegistry,
  logger: Logger,
  debounceMs = 150,
): () => void {
  let timer: ReturnType<typeof setTimeout> | undefined;
  let watcher: FSWatcher | undefined;
  try {
    watcher = watch(directory, { recursive: true }, () => {
      clearTimeout(timer);
      timer = setTimeout(() => {
        registry
          .refresh()
          .catch((error: unknown) => logger.error({ err: error }, 'plugin refresh after a change failed'));
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
    watcher?.close();
  };
}
