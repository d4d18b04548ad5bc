import { randomBytes } from 'node:crypto';
import type { Database } from '../../db/database.ts';

/**
 * The server secret named `name`, made on first use (from `initial` when given) and kept in the database, so every
 * server process on it signs and checks with the same key. Two processes starting at once both try to insert; the
 * first row wins for both.
 */
export async function serverSecret(
  db: Database,
  name: string,
  initial = randomBytes(32).toString('base64url'),
): Promise<string> {
  await db.run('INSERT INTO server_secrets (name, value, created_at) VALUES (?, ?, ?) ON CONFLICT (name) DO NOTHING', [
    name,
    initial,
    new Date().toISOString(),
  ]);
  const row = await db.get<{ value: string }>('SELECT value FROM server_secrets WHERE name = ?', [name]);
  if (!row) throw new Error(`the server secret "${name}" could not be stored`);
  return row.value;
}
