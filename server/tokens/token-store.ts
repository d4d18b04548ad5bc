import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { TOKEN_PREFIX, type ApiToken, type TokenScope } from '../../shared/api-tokens.schema.ts';
import type { Database } from '../db/database.ts';

/** What the server knows of a token: its listing plus who made it (by id), for authenticating with it. */
export interface StoredToken extends ApiToken {
  createdById?: string;
}

interface TokenRow {
  id: string;
  name: string;
  scopes: string;
  created_by: string | null;
  creator: string | null;
  created_at: string;
  expires_at: string;
  last_used_at: string | null;
  revoked_at: string | null;
  revoker: string | null;
}

const SELECT = `SELECT t.id, t.name, t.scopes, t.created_by, c.username AS creator, t.created_at, t.expires_at,
  t.last_used_at, t.revoked_at, r.username AS revoker
  FROM api_tokens t LEFT JOIN users c ON c.id = t.created_by LEFT JOIN users r ON r.id = t.revoked_by`;

const toToken = (row: TokenRow): StoredToken => ({
  id: row.id,
  name: row.name,
  scopes: JSON.parse(row.scopes) as TokenScope[],
  createdAt: row.created_at,
  ...(row.created_by ? { createdById: row.created_by } : {}),
  ...(row.creator ? { createdBy: row.creator } : {}),
  expiresAt: row.expires_at,
  ...(row.last_used_at ? { lastUsedAt: row.last_used_at } : {}),
  ...(row.revoked_at ? { revokedAt: row.revoked_at } : {}),
  ...(row.revoker ? { revokedBy: row.revoker } : {}),
});

/** The public listing of a stored token (without the creator's id). */
export function listed({ createdById: _id, ...token }: StoredToken): ApiToken {
  return token;
}

/** The stored form of a secret: its SHA-256, so a database leak reveals no usable token. */
export const hashToken = (secret: string) => createHash('sha256').update(secret).digest('base64url');

/** API tokens: the caller holds `wbt_<random>`; the database holds its hash, scopes, expiry and history. */
export function createTokenStore(db: Database) {
  return {
    async create(input: {
      name: string;
      scopes: TokenScope[];
      createdBy: string;
      expiresAt: Date;
    }): Promise<{ token: StoredToken; secret: string }> {
      const id = randomUUID();
      const secret = `${TOKEN_PREFIX}${randomBytes(32).toString('base64url')}`;
      await db.run(
        'INSERT INTO api_tokens (id, name, token_hash, scopes, created_by, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
        [
          id,
          input.name,
          hashToken(secret),
          JSON.stringify(input.scopes),
          input.createdBy,
          new Date().toISOString(),
          input.expiresAt.toISOString(),
        ],
      );
      return { token: (await this.get(id))!, secret };
    },

    async get(id: string): Promise<StoredToken | undefined> {
      const row = await db.get<TokenRow>(`${SELECT} WHERE t.id = ?`, [id]);
      return row && toToken(row);
    },

    /** The token whose secret this is, whatever its state; undefined for a secret this server never issued. */
    async bySecret(secret: string): Promise<StoredToken | undefined> {
      const row = await db.get<TokenRow>(`${SELECT} WHERE t.token_hash = ?`, [hashToken(secret)]);
      return row && toToken(row);
    },

    /** Every token, newest first. */
    async list(): Promise<StoredToken[]> {
      return (await db.all<TokenRow>(`${SELECT} ORDER BY t.created_at DESC, t.name`)).map(toToken);
    },

    async revoke(id: string, by: string): Promise<void> {
      await db.run('UPDATE api_tokens SET revoked_at = ?, revoked_by = ? WHERE id = ? AND revoked_at IS NULL', [
        new Date().toISOString(),
        by,
        id,
      ]);
    },

    async touch(id: string, at: Date): Promise<void> {
      await db.run('UPDATE api_tokens SET last_used_at = ? WHERE id = ?', [at.toISOString(), id]);
    },
  };
}

export type TokenStore = ReturnType<typeof createTokenStore>;
