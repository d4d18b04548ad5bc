import { constants } from 'node:fs';
import { copyFile, mkdir, readdir, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { isShippedFile } from '@dbt-workbench/plugin-sdk/node/digest';

const served = ['frontend', 'static'];

async function exists(p: string): Promise<boolean> {
  return stat(p).then(
    () => true,
    () => false,
  );
}

/**
 * Copies a folder tree's shipped files (a clone where the filesystem can share blocks). Copies, not hard links: a
 * file rewritten in place in the plugin's folder must not change what was verified and is served.
 */
async function copyTree(from: string, to: string): Promise<void> {
  await mkdir(to, { recursive: true });
  for (const entry of await readdir(from, { withFileTypes: true })) {
    const source = path.join(from, entry.name);
    const target = path.join(to, entry.name);
    if (entry.isDirectory()) await copyTree(source, target);
    else if (entry.isFile() && isShippedFile(entry.name) && !(await exists(target)))
      await copyFile(source, target, constants.COPYFILE_FICLONE);
  }
}

/**
 * Keeps the served files (`frontend/`, `static/`) of each active plugin revision in the data directory,
 * so a rebuild that fails half way, or deletes its old chunks, never breaks the version still in use.
 */
export function createSnapshots(root: string, keepPerPlugin = 3) {
  const dirOf = (name: string, revision: string) => path.join(root, name, revision);
  return {
    /**
     * The snapshot of a revision, the folder to serve its files from. Files already copied are kept, and
     * files that appeared since (a build still writing when first seen) are added: calling it again is cheap.
     * `whole` copies `manifest.json` and `backend/` too, so a signed package can be verified as it was copied.
     */
    async ensure(name: string, revision: string, directory: string, whole = false): Promise<string> {
      const target = dirOf(name, revision);
      for (const folder of whole ? [...served, 'backend'] : served) {
        const source = path.join(directory, folder);
        if (await exists(source)) await copyTree(source, path.join(target, folder));
      }
      await mkdir(target, { recursive: true });
      if (whole && !(await exists(path.join(target, 'manifest.json')))) {
        await copyFile(path.join(directory, 'manifest.json'), path.join(target, 'manifest.json'));
      }
      return target;
    },
    /** Drops the oldest snapshots of a plugin, keeping the given revisions and the newest others. */
    async prune(name: string, inUse: readonly string[]): Promise<void> {
      const dir = path.join(root, name);
      if (!(await exists(dir))) return;
      const entries = await readdir(dir, { withFileTypes: true });
      const dated = await Promise.all(
        entries
          .filter((e) => e.isDirectory())
          .map(async (e) => ({ name: e.name, at: (await stat(path.join(dir, e.name))).mtimeMs })),
      );
      const stale = dated
        .filter((d) => !inUse.includes(d.name))
        .sort((a, b) => b.at - a.at)
        .slice(Math.max(0, keepPerPlugin - inUse.length));
      for (const d of stale) await rm(path.join(dir, d.name), { recursive: true, force: true });
    },
  };
}

export type Snapshots = ReturnType<typeof createSnapshots>;
