import { z } from 'zod';

/** A public key this server trusts for plugin signatures, as `GET /api/signing-keys` lists it. */
export const SigningKey = z.object({
  /** What manifests name in `signature.keyId`: the first 16 hex digits of the sha256 of the key's DER form. */
  keyId: z.string(),
  /** Who holds the private key; shown as the signer of the plugins it signed. */
  owner: z.string().optional(),
  /** The ed25519 public key in PEM form. */
  publicKey: z.string(),
  /** `setting`: from PLUGIN_TRUSTED_KEYS (change the file to remove it); `admin`: added here. */
  source: z.enum(['setting', 'admin']),
  addedAt: z.string().optional(),
  addedBy: z.string().optional(),
});
export type SigningKey = z.infer<typeof SigningKey>;

export const SigningKeyList = z.object({ keys: z.array(SigningKey) });
export type SigningKeyList = z.infer<typeof SigningKeyList>;

/** `POST /api/signing-keys`: a name and an ed25519 public key (PEM, or base64 of its DER or raw 32 bytes). */
export const AddSigningKeyBody = z.object({
  name: z.string().trim().min(1, 'must not be empty').max(100, 'must be at most 100 characters'),
  publicKey: z.string().trim().min(1, 'must not be empty').max(10_000, 'is too long for a public key'),
});
export type AddSigningKeyBody = z.infer<typeof AddSigningKeyBody>;
