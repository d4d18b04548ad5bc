import { lstat, opendir } from 'node:fs/promises';
import path from 'node:path';
import { PACKAGE_FOLDERS } from './digest.ts';

/**
 * What discovery reads of one plugin folder at most. A folder dropped into PLUGINS_DIRECTORY is held to the limits
 * of an uploaded package (PLUGIN_MAX_PACKAGE_FILES, PLUGIN_MAX_PACKAGE_MB) and its manifests to
 * PLUGIN_MAX_MANIFEST_KB, so no plugin makes discovery (or the hashing, snapshots and launch that follow) slow.
 */
export interface DiscoveryLimits {
  maxManifestBytes: number;
  maxFiles: number;
  maxBytes: number;
}

/** The settings' defaults, for callers (tests, tools) that do not pass the server's own limits. */
export const DEFAULT_DISCOVERY_LIMITS: DiscoveryLimits = {
  maxManifestBytes: 256 * 1024,
  maxFiles: 5000,
  maxBytes: 50 * 1024 * 1024,
};

/** Folders nested deeper than this under `frontend/`, `backend/` or `static/` make a package refused. */
export const MAX_PACKAGE_DEPTH = 32;

/** `1.5 MB`, `256 KB`: a size as the reasons print it. */
export function sizeText(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${Math.round((bytes / 1024 / 1024) * 10) / 10} MB`;
  return `${Math.ceil(bytes / 1024)} KB`;
}

/**
 * Why a plugin folder's package (its `frontend/`, `backend/` and `static/` files) is too big to be discovered:
 * more files, bytes or folder depth than allowed; `undefined` when it is within them. Reads directories a few
 * entries at a time and stops at the first limit passed, so a folder of a million files costs no more than
 * `maxFiles` of them. Links are counted, never followed.
 */
export async function packageBoundsProblem(directory: string, limits: DiscoveryLimits): Promise<string | undefined> {
  let files = 0;
  let bytes = 0;
  async function walk(dir: string, relative: string, depth: number): Promise<string | undefined> {
    if (depth > MAX_PACKAGE_DEPTH) return `${relative} is nested more than ${MAX_PACKAGE_DEPTH} folders deep`;
    const handle = await opendir(dir).catch(() => undefined);
    if (!handle) return undefined;
    for await (const entry of handle) {
      const child = `${relative}/${entry.name}`;
      if (entry.isDirectory()) {
        const problem = await walk(path.join(dir, entry.name), child, depth + 1);
        if (problem) return problem;
        continue;
      }
      files += 1;
      if (entry.isFile()) bytes += (await lstat(path.join(dir, entry.name)).catch(() => ({ size: 0 }))).size;
      const over =
        files > limits.maxFiles
          ? `its package holds more than ${limits.maxFiles} files (PLUGIN_MAX_PACKAGE_FILES)`
          : bytes > limits.maxBytes
            ? `its package holds more than ${sizeText(limits.maxBytes)} (PLUGIN_MAX_PACKAGE_MB)`
            : undefined;
      // Leaving the loop closes the directory.
      if (over) return over;
    }
    return undefined;
  }
  for (const folder of PACKAGE_FOLDERS) {
    const problem = await walk(path.join(directory, folder), folder, 1);
    if (problem) return problem;
  }
  return undefined;
}
