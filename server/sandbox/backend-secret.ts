import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Database } from '../db/database.ts';
import { serverSecret } from '../plugins/plugin-tokens/secret.ts';

/**
 * PLUGIN_BACKEND_SECRET, or the one the servers share: made once and kept in the database, so every server on it
 * signs `backend.url` calls and checks webhook tokens with the same key. A secret an earlier version generated into
 * the data folder is adopted (keys derived from it stay valid); the one in force is written there (mode 0600) for
 * an operator deriving a `backend.url` plugin's key.
 */
export async function backendSecret(setting: string | undefined, dataDirectory: string, db: Database) {
  if (setting) return setting;
  const file = path.join(dataDirectory, 'plugin-backend-secret');
  const earlier = existsSync(file) ? readFileSync(file, 'utf8').trim() : undefined;
  const secret = await serverSecret(db, 'plugin-backend', earlier || undefined);
  if (secret !== earlier) {
    mkdirSync(dataDirectory, { recursive: true });
    writeFileSync(file, secret, { mode: 0o600 });
  }
  return secret;
}
