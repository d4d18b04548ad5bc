import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { packageDigest } from './digest.ts';
import { keyIdFor } from './keys.ts';
import { signDigest, type PluginSignature } from './verify.ts';
import { createPublicKey } from 'node:crypto';

/** The key id of a PEM private key: the id of its public half (see `keyIdFor`). */
export function keyIdOfPrivateKey(privateKeyPem: string): string {
  return keyIdFor(createPublicKey(privateKeyPem).export({ type: 'spki', format: 'pem' }).toString());
}

/**
 * Signs a plugin folder in place: computes its canonical digest and writes the signature into `manifest.json`
 * (replacing any previous one; the rest of the manifest keeps its text order, two-space indented).
 */
export async function signPluginDirectory(
  pluginDir: string,
  privateKeyPem: string,
  keyId: string = keyIdOfPrivateKey(privateKeyPem),
): Promise<{ signature: PluginSignature; digest: string }> {
  const file = path.join(pluginDir, 'manifest.json');
  const manifest = JSON.parse(await readFile(file, 'utf8')) as Record<string, unknown>;
  const digest = await packageDigest(pluginDir);
  const signature = signDigest(digest, privateKeyPem, keyId);
  await writeFile(file, `${JSON.stringify({ ...manifest, signature }, null, 2)}\n`);
  return { signature, digest };
}
