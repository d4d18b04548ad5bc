import path from 'node:path';

/**
 * Where plugin package work happens, inside the data directory (never under PLUGINS_DIRECTORY, so discovery never
 * sees a half-made package):
 * - `staging/<operation>/`: a source unpacked, copied or cloned, being validated;
 * - `pending/<name>/`: an update staged until an admin approves its new capabilities;
 * - `previous/<name>/`: the version an update replaced, kept for rollback;
 * - `trash/<operation>/`: folders an operation moved away, deleted once it commits.
 */
export interface PackageLayout {
  root: string;
  pluginsDirectory: string;
  staging: string;
  pending: string;
  previous: string;
  trash: string;
  stagingFor(operation: string): string;
  pendingFor(name: string): string;
  previousFor(name: string): string;
  trashFor(operation: string): string;
  /** Where a newly installed plugin goes: `PLUGINS_DIRECTORY/<name>`. */
  installedFor(name: string): string;
}

export function packageLayout(dataDirectory: string, pluginsDirectory: string): PackageLayout {
  const root = path.join(dataDirectory, 'plugin-packages');
  const staging = path.join(root, 'staging');
  const pending = path.join(root, 'pending');
  const previous = path.join(root, 'previous');
  const trash = path.join(root, 'trash');
  return {
    root,
    pluginsDirectory,
    staging,
    pending,
    previous,
    trash,
    stagingFor: (operation) => path.join(staging, operation),
    pendingFor: (name) => path.join(pending, name),
    previousFor: (name) => path.join(previous, name),
    trashFor: (operation) => path.join(trash, operation),
    installedFor: (name) => path.join(pluginsDirectory, name),
  };
}

/** Whether `child` is `parent` or inside it (lexically). */
export function isInside(parent: string, child: string): boolean {
  const relative = path.relative(parent, child);
  return relative === '' || (!relative.startsWith('..') && !path.isAbsolute(relative));
}
