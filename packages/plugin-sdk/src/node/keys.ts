// Signing keys: ed25519 key pairs made by `workbench-plugin keygen`, and the public keys a server trusts
// (PLUGIN_TRUSTED_KEYS: a JSON file, or a folder of JSON files, each holding one key or a list of keys).
import { createHash, createPublicKey, generateKeyPairSync } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { problemsFrom } from '../contracts/validation.ts';

/** A public key a server trusts: `keyId` is what manifests name in `signature.keyId`. */
export const TrustedKey = z.object({
  keyId: z.string().min(1, 'must not be empty'),
  /** Who holds the private key; shown as the plugin's signer. */
  owner: z.string().min(1).optional(),
  /** The ed25519 public key, PEM (`-----BEGIN PUBLIC KEY-----`). */
  publicKey: z.string().refine((pem) => publicKeyProblem(pem) === undefined, {
    message: 'must be an ed25519 public key in PEM form',
  }),
});
export type TrustedKey = z.infer<typeof TrustedKey>;

const TrustedKeyFile = z.union([TrustedKey, z.array(TrustedKey)]);

function publicKeyProblem(pem: string): string | undefined {
  try {
    const key = createPublicKey(pem);
    return key.asymmetricKeyType === 'ed25519' ? undefined : `is a ${key.asymmetricKeyType} key`;
  } catch (error) {
    return (error as Error).message;
  }
}

/** A short, stable id for a public key: the first 16 hex digits of the sha256 of its DER form. */
export function keyIdFor(publicKeyPem: string): string {
  const der = createPublicKey(publicKeyPem).export({ type: 'spki', format: 'der' });
  return createHash('sha256').update(der).digest('hex').slice(0, 16);
}

/** A new ed25519 key pair in PEM, with its key id. */
export function generateSigningKey(owner?: string): { privateKey: string; publicKey: TrustedKey } {
  const pair = generateKeyPairSync('ed25519');
  const publicKey = pair.publicKey.export({ type: 'spki', format: 'pem' }).toString();
  const privateKey = pair.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  return { privateKey, publicKey: { keyId: keyIdFor(publicKey), ...(owner ? { owner } : {}), publicKey } };
}

/**
 * Reads the trusted public keys at `location` (a JSON file, or a folder whose `*.json` files are read), keyed by
 * keyId. Throws one error naming the file and field of every problem, and any keyId given twice.
 */
export function loadTrustedKeys(location: string): Map<string, TrustedKey> {
  const files = statSync(location).isDirectory()
    ? readdirSync(location)
        .filter((name) => name.endsWith('.json'))
        .sort()
        .map((name) => path.join(location, name))
    : [location];
  const keys = new Map<string, TrustedKey>();
  const problems: string[] = [];
  for (const file of files) {
    let json: unknown;
    try {
      json = JSON.parse(readFileSync(file, 'utf8'));
    } catch (error) {
      problems.push(`${file}: ${(error as Error).message}`);
      continue;
    }
    const parsed = TrustedKeyFile.safeParse(json);
    if (!parsed.success) {
      problems.push(...problemsFrom(parsed.error).map((p) => `${file}: ${p.message}`));
      continue;
    }
    for (const key of [parsed.data].flat()) {
      if (keys.has(key.keyId)) problems.push(`${file}: keyId "${key.keyId}" is given twice`);
      keys.set(key.keyId, key);
    }
  }
  if (problems.length > 0) throw new Error(`PLUGIN_TRUSTED_KEYS has problems: ${problems.join('; ')}`);
  return keys;
}
