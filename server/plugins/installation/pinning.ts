import type { PluginPin } from '../../../shared/rollback.schema.ts';
import type { Database } from '../../db/database.ts';
import { HttpError } from '../../http/errors.ts';

interface PinRow {
  name: string;
  version: string | null;
  pinned_by_name: string | null;
  pinned_at: string;
}

/** The pin of a plugin, if an admin pinned it (table `plugin_pins`). */
export async function pinOf(db: Database, name: string): Promise<PluginPin | null> {
  const row = await db.get<PinRow>('SELECT * FROM plugin_pins WHERE name = ?', [name]);
  return row ? { version: row.version, by: row.pinned_by_name, at: row.pinned_at } : null;
}

/** Pins a plugin at the version running now; pinning again refreshes who and when. */
export async function pin(
  db: Database,
  name: string,
  version: string | null,
  by: { id: string; username: string },
): Promise<void> {
  await db.run('DELETE FROM plugin_pins WHERE name = ?', [name]);
  await db.run('INSERT INTO plugin_pins (name, version, pinned_by, pinned_by_name, pinned_at) VALUES (?, ?, ?, ?, ?)', [
    name,
    version,
    by.id,
    by.username,
    new Date().toISOString(),
  ]);
}

/** Removes a pin; answers whether there was one. */
export async function unpin(db: Database, name: string): Promise<boolean> {
  const had = await pinOf(db, name);
  await db.run('DELETE FROM plugin_pins WHERE name = ?', [name]);
  return had !== null;
}

/** Refuses (409, naming the pin) to change the version of a pinned plugin. */
export async function requireUnpinned(db: Database, name: string, what: string): Promise<void> {
  const found = await pinOf(db, name);
  if (!found) return;
  const at = found.version ? ` at version ${found.version}` : '';
  const by = found.by ? ` by ${found.by}` : '';
  throw new HttpError(
    'conflict',
    `Plugin "${name}" is pinned${at}${by} (${found.at.slice(0, 10)}); unpin it (POST /api/plugins/${name}/unpin) before ${what}`,
  );
}
