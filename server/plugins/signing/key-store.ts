// Signing keys trusted by admins (`trusted_signing_keys`), merged with PLUGIN_TRUSTED_KEYS into the one map the
// signing policy reads, so trusting or removing a key takes effect at the next evaluation, without a restart.
import { createPublicKey } from 'node:crypto';
import type { SigningKey } from '../../../shared/signing-keys.schema.ts';
import type { Database } from '../../db/database.ts';
import { keyIdFor, type TrustedKey } from '@dbt-workbench/plugin-sdk/node/keys';

/** The DER prefix of an ed25519 SubjectPublicKeyInfo; the raw 32-byte key follows it. */
const ED25519_SPKI_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');

/**
 * An ed25519 public key given as PEM, or as base64 of its DER (SubjectPublicKeyInfo) or of its raw 32 bytes, in
 * PEM form; or the problem with it, in words. Pure.
 */
export function parsePublicKey(text: string): { ok: true; pem: string } | { ok: false; problem: string } {
  const trimmed = text.trim();
  if (trimmed.includes('PRIVATE KEY')) return { ok: false, problem: 'is a private key: give the public half' };
  let der: Buffer | undefined;
  if (!trimmed.startsWith('-----BEGIN')) {
    if (!/^[A-Za-z0-9+/=\s]+$/.test(trimmed)) return { ok: false, problem: 'is neither PEM nor base64' };
    const bytes = Buffer.from(trimmed.replace(/\s+/g, ''), 'base64');
    der = bytes.length === 32 ? Buffer.concat([ED25519_SPKI_PREFIX, bytes]) : bytes;
  }
  try {
    const key = der ? createPublicKey({ key: der, format: 'der', type: 'spki' }) : createPublicKey(trimmed);
    if (key.asymmetricKeyType !== 'ed25519')
      return { ok: false, problem: `is a ${key.asymmetricKeyType} key, not ed25519` };
    return { ok: true, pem: key.export({ type: 'spki', format: 'pem' }).toString() };
  } catch {
    return { ok: false, problem: 'is not a readable ed25519 public key' };
  }
}

interface Row {
  key_id: string;
  owner: string;
  public_key: string;
  added_at: string;
  added_by: string | null;
}

/** The `trusted_signing_keys` table. */
export function createSigningKeyStore(db: Database) {
  return {
    async list(): Promise<SigningKey[]> {
      const rows = await db.all<Row>(
        `SELECT k.key_id, k.owner, k.public_key, k.added_at, u.username AS added_by
         FROM trusted_signing_keys k LEFT JOIN users u ON u.id = k.added_by ORDER BY k.added_at`,
      );
      return rows.map((r) => ({
        keyId: r.key_id,
        owner: r.owner,
        publicKey: r.public_key,
        source: 'admin',
        addedAt: r.added_at,
        ...(r.added_by ? { addedBy: r.added_by } : {}),
      }));
    },
    /** Adds a key (PEM already checked by `parsePublicKey`); returns its id. */
    async add(owner: string, pem: string, userId: string): Promise<string> {
      const keyId = keyIdFor(pem);
      await db.run(
        'INSERT INTO trusted_signing_keys (key_id, owner, public_key, added_by, added_at) VALUES (?, ?, ?, ?, ?)',
        [keyId, owner, pem, userId, new Date().toISOString()],
      );
      return keyId;
    },
    /** Removes a key; false when there was none with that id. */
    async remove(keyId: string): Promise<boolean> {
      const before = await db.get<{ n: number }>('SELECT COUNT(*) AS n FROM trusted_signing_keys WHERE key_id = ?', [
        keyId,
      ]);
      await db.run('DELETE FROM trusted_signing_keys WHERE key_id = ?', [keyId]);
      return (before?.n ?? 0) > 0;
    },
  };
}

/**
 * The trusted keys as the signing policy sees them: PLUGIN_TRUSTED_KEYS (read at start) plus the keys admins
 * added. `live` is the policy's own map, updated in place by `reload`, so every reader of the policy (discovery,
 * install, marketplace) sees a change at once.
 */
export function trustedKeysOf(db: Database, live: ReadonlyMap<string, TrustedKey>) {
  const fromSetting = new Map(live);
  const map = live as Map<string, TrustedKey>;
  return {
    fromSetting: fromSetting as ReadonlyMap<string, TrustedKey>,
    async reload(): Promise<void> {
      const added = await createSigningKeyStore(db).list();
      map.clear();
      for (const key of added) map.set(key.keyId, { keyId: key.keyId, owner: key.owner, publicKey: key.publicKey });
      for (const [id, key] of fromSetting) map.set(id, key);
    },
  };
}

export type TrustedKeys = ReturnType<typeof trustedKeysOf>;
