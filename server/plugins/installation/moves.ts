import { cp, lstat, rename, rm } from 'node:fs/promises';
import path from 'node:path';

/** Whether anything (file, folder or link, even a dangling one) exists at `p`. */
export async function exists(p: string): Promise<boolean> {
  return lstat(p).then(
    () => true,
    () => false,
  );
}

/**
 * Moves a folder so that `to` appears whole or not at all: one rename, or across file systems (data directory and
 * PLUGINS_DIRECTORY on different volumes) a copy into a hidden sibling of `to`, a rename, then removing `from`.
 * Hidden siblings (`.wb-copy-*`) are skipped by discovery and swept by recovery.
 */
export async function moveDirectory(from: string, to: string): Promise<void> {
  try {
    await rename(from, to);
    return;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EXDEV') throw error;
  }
  const temporary = path.join(path.dirname(to), `${COPY_PREFIX}${path.basename(to)}-${process.pid}-${Date.now()}`);
  try {
    await cp(from, temporary, { recursive: true, verbatimSymlinks: true, errorOnExist: true, force: false });
    await rename(temporary, to);
  } catch (error) {
    await rm(temporary, { recursive: true, force: true });
    throw error;
  }
  await rm(from, { recursive: true, force: true });
}

/** The name prefix of the temporary copies `moveDirectory` makes across file systems. */
export const COPY_PREFIX = '.wb-copy-';
