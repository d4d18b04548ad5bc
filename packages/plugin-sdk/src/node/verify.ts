// The pure signature rule: given a manifest's `signature`, the package's canonical digest (digest.ts) and the keys
// this server trusts, says whether the package is verified, unsigned, signed by an unknown key, or changed since
// it was signed. No I/O (but `copyProblem`): discovery computes the digest, evaluate.ts applies the policy.
import { createPrivateKey, createPublicKey, sign, verify } from 'node:crypto';
import type { z } from 'zod';
import type { PluginSignature as PluginSignatureSchema } from '../contracts/plugin-manifest.schema.ts';
import { packageDigest } from './digest.ts';
import type { TrustedKey } from './keys.ts';

/** A manifest's `signature` field. */
export type PluginSignature = z.infer<typeof PluginSignatureSchema>;

/** PLUGIN_SIGNATURES: refuse (`require`), accept with a warning (`warn`) or ignore (`off`) bad signatures. */
export type SignatureMode = 'require' | 'warn' | 'off';

/** The server's signing policy: its mode and the public keys it trusts, by keyId. */
export interface SignaturePolicy {
  mode: SignatureMode;
  trustedKeys: ReadonlyMap<string, TrustedKey>;
}

/** What checking a plugin's signature found. */
export type SignatureCheck =
  | { status: 'verified'; keyId: string; signedBy: string }
  | { status: 'unsigned' }
  | { status: 'untrusted'; keyId: string }
  | { status: 'tampered'; keyId: string };

/** The message an ed25519 signature is made over: the digest's hex text, UTF-8. */
const message = (digest: string) => Buffer.from(`dbt-workbench-plugin/1:${digest}`, 'utf8');

/** Signs a package digest with a PEM private key; returns the manifest's `signature` field. */
export function signDigest(digest: string, privateKeyPem: string, keyId: string): PluginSignature {
  const key = createPrivateKey(privateKeyPem);
  if (key.asymmetricKeyType !== 'ed25519') throw new Error(`the key is ${key.asymmetricKeyType}, not ed25519`);
  return { algorithm: 'ed25519', keyId, value: sign(null, message(digest), key).toString('base64') };
}

/** Who a trusted key belongs to, as shown to admins: `Data team (key 1a2b3c4d5e6f7a8b)`. */
export function signerLabel(key: TrustedKey): string {
  return key.owner ? `${key.owner} (key ${key.keyId})` : `key ${key.keyId}`;
}

/** Checks a signature against the digest and the trusted keys. Pure. */
export function checkSignature(
  signature: PluginSignature | undefined,
  digest: string | undefined,
  trustedKeys: ReadonlyMap<string, TrustedKey>,
): SignatureCheck {
  if (!signature) return { status: 'unsigned' };
  const key = trustedKeys.get(signature.keyId);
  if (!key) return { status: 'untrusted', keyId: signature.keyId };
  let ok: boolean;
  try {
    ok =
      digest !== undefined &&
      verify(null, message(digest), createPublicKey(key.publicKey), Buffer.from(signature.value, 'base64'));
  } catch {
    ok = false;
  }
  return ok
    ? { status: 'verified', keyId: key.keyId, signedBy: signerLabel(key) }
    : { status: 'tampered', keyId: key.keyId };
}

/** Why a check that is not `verified` fails, in one sentence that says how to fix it. */
export function signatureProblem(check: SignatureCheck): string | undefined {
  switch (check.status) {
    case 'verified':
      return undefined;
    case 'unsigned':
      return 'the package is not signed (sign it with `workbench-plugin sign --key <private key>`)';
    case 'untrusted':
      return `the package is signed with key "${check.keyId}", which this server does not trust (an admin can trust its public key under Admin → Signing keys)`;
    case 'tampered':
      return `the package's files changed after it was signed with key "${check.keyId}" (its signature does not match; sign it again)`;
  }
}

/**
 * Checks a copy of a package (the snapshot the server serves) against the signature that verified its folder: a
 * file changed between the check and the copy makes the copy fail. Returns the problem, or undefined when the copy
 * is what was signed.
 */
export async function copyProblem(
  signature: PluginSignature | undefined,
  copy: string,
  trustedKeys: ReadonlyMap<string, TrustedKey>,
): Promise<string | undefined> {
  const check = checkSignature(signature, await packageDigest(copy), trustedKeys);
  return check.status === 'verified'
    ? undefined
    : `its files changed while the server verified them (${signatureProblem(check)}); nothing of it is served`;
}
