import { createHash, randomBytes } from 'node:crypto';
import type { Database } from '../db/database.ts';
import { toUser, type User, type UserRow } from './users-repository.ts';

export const SESSION_COOKIE = 'wb_session';

const hashToken = (token: string) => createHash('sha256').update(token).digest('base64url');

/** Sessions: the browser holds a random token; the database holds only its hash and the expiry. */
export function createSessionStore(db: Database, ttlMs: number) {
  return {
    async create(userId: string): Promise<{ token: string; expiresAt: Date }> {
      const token = randomBytes(32).toString('base64url');
      const now = new Date();
      const expiresAt = new Date(now.getTime() + ttlMs);
      await db.run('INSERT INTO sessions (token_hash, user_id, created_at, expires_at) VALUES (?, ?, ?, ?)', [
        hashToken(token),
        userId,
        now.toISOString(),
        expiresAt.toISOString(),
      ]);
      return { token, expiresAt };
    },

    /** The user of a live session, or undefined for an unknown or expired token: one statement per request. */
    async user(token: string): Promise<User | undefined> {
      const row = await db.get<UserRow>(
        'SELECT u.* FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.token_hash = ? AND s.expires_at > ?',
        [hashToken(token), new Date().toISOString()],
      );
      return row && toUser(row);
    },

    async destroy(token: string): Promise<void> {
      await db.run('DELETE FROM sessions WHERE token_hash = ?', [hashToken(token)]);
    },

    async destroyExpired(): Promise<number> {
      return (await db.run('DELETE FROM sessions WHERE expires_at <= ?', [new Date().toISOString()])).changes;
    },
  };
}

export type SessionStore = ReturnType<typeof createSessionStore>;
