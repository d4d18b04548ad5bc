import { randomUUID } from 'node:crypto';
import { mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Effect } from '../installation/effects.ts';
import type { PackageLayout } from '../installation/layout.ts';

/** The two folders of a plugin a replica keeps in step with the database: the running version and a pending one. */
export type Role = 'installed' | 'pending';

/**
 * Which stored package each local folder holds: one small file per plugin and role under
 * `<data>/plugin-packages/revisions/<role>/<name>`, holding the digest. A replica compares these with the digests
 * the database names and fetches only what differs, so a start with every plugin up to date reads no package.
 * A file that is missing or stale only costs a fetch: the sync then replaces the folder with the named package.
 */
export function localRevisions(layout: PackageLayout) {
  const dirOf = (role: Role) => path.join(layout.root, 'revisions', role);
  return {
    async read(role: Role): Promise<Map<string, string>> {
      const names = await readdir(dirOf(role)).catch(() => [] as string[]);
      const entries = await Promise.all(
        names
          .filter((name) => !name.startsWith('.'))
          .map(async (name) => [name, (await readFile(path.join(dirOf(role), name), 'utf8')).trim()] as const),
      );
      return new Map(entries);
    },
    /** Records what a folder now holds (null: it holds nothing the store named). Atomic: write, then rename. */
    async set(role: Role, name: string, digest: string | null): Promise<void> {
      const file = path.join(dirOf(role), name);
      if (digest === null) {
        await rm(file, { force: true });
        return;
      }
      await mkdir(dirOf(role), { recursive: true, mode: 0o755 });
      const temporary = path.join(dirOf(role), `.${name}-${randomUUID()}`);
      await writeFile(temporary, digest);
      await rename(temporary, file);
    },
  };
}

export type LocalRevisions = ReturnType<typeof localRevisions>;

export interface RevisionChange {
  role: Role;
  name: string;
  digest: string | null;
}

/** What the local folders hold once an operation's effects committed: derived from the effects themselves. */
export function revisionsAfter(effects: readonly Effect[]): RevisionChange[] {
  return effects.flatMap((effect): RevisionChange[] => {
    switch (effect.type) {
      case 'installation':
        return [{ role: 'installed' as const, name: effect.name, digest: effect.digest ?? null }];
      case 'pending':
        return [{ role: 'pending' as const, name: effect.name, digest: effect.digest ?? null }];
      case 'clear-pending':
        return [{ role: 'pending' as const, name: effect.name, digest: null }];
      case 'forget':
        return (['installed', 'pending'] as const).map((role) => ({ role, name: effect.name, digest: null }));
      default:
        return [];
    }
  });
}

/**
 * This replica's id: the owner of the plugin operations that move its folders (plugin_operations.server). Kept in
 * the data folder, so a replica restarted on its folders (even on another host name or pid) recovers its own.
 */
export async function replicaIdOf(layout: PackageLayout): Promise<string> {
  const file = path.join(layout.root, 'replica-id');
  const existing = await readFile(file, 'utf8').catch(() => undefined);
  if (existing?.trim()) return existing.trim();
  await mkdir(layout.root, { recursive: true, mode: 0o755 });
  const id = randomUUID();
  const temporary = `${file}.${id}`;
  await writeFile(temporary, id);
  await rename(temporary, file);
  return id;
}
