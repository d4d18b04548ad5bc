import { createHash } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { writeZip, zipInputsFromDirectory } from '@dbt-workbench/plugin-sdk/node/zip-writer';
import type { Database } from '../../db/database.ts';
import { PackageError, unpackZip, type PackageLimits } from '../installation/package-files.ts';

/**
 * The package store: every plugin package an install, update or staged update put in place, kept once in the
 * database under its digest (`sha256:<hex>` of its packed bytes), so every replica on one database can fetch the
 * exact revision the plugin's rows name. A package is the plugin folder packed with the SDK's reproducible zip
 * writer (the same format as uploads and catalogs), so the same files always give the same digest.
 */

/** A package whose bytes do not match the digest that names them: never unpacked, never served. */
export class PackageIntegrityError extends Error {
  readonly digest: string;
  /** What is wrong, in a few words (the message adds the digest and the details). */
  readonly reason: string;

  constructor(digest: string, reason: string, details = '') {
    super(`package ${digest} ${reason}${details}`);
    this.name = 'PackageIntegrityError';
    this.digest = digest;
    this.reason = reason;
  }
}

export function digestOf(bytes: Uint8Array): string {
  return `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
}

/** A plugin folder packed as the store keeps it: the same files always give the same bytes. */
async function packFolder(folder: string): Promise<Buffer> {
  return writeZip(await zipInputsFromDirectory(folder));
}

/** The digest a folder would be stored under: whether it holds exactly a stored package. */
export async function digestOfFolder(folder: string): Promise<string> {
  return digestOf(await packFolder(folder));
}

/** Packs a checked plugin folder (staging, pending) into the store; returns its digest. Stores each digest once. */
export async function storeFolder(db: Database, folder: string): Promise<string> {
  const bytes = await packFolder(folder);
  const digest = digestOf(bytes);
  await db.run(
    'INSERT INTO plugin_packages (digest, bytes, size, created_at) VALUES (?, ?, ?, ?) ON CONFLICT (digest) DO NOTHING',
    [digest, bytes, bytes.length, new Date().toISOString()],
  );
  return digest;
}

/** The bytes of a stored package, checked against its digest; throws PackageIntegrityError otherwise. */
export async function fetchPackage(db: Database, digest: string): Promise<Buffer> {
  const row = await db.get<{ bytes: Uint8Array }>('SELECT bytes FROM plugin_packages WHERE digest = ?', [digest]);
  if (!row) throw new PackageIntegrityError(digest, 'is not in the package store');
  const bytes = Buffer.from(row.bytes.buffer, row.bytes.byteOffset, row.bytes.byteLength);
  const actual = digestOf(bytes);
  if (actual !== digest)
    throw new PackageIntegrityError(digest, 'does not match its bytes', ` (they hash to ${actual})`);
  return bytes;
}

/**
 * Fetches a package, verifies it and unpacks it into `destination` (which must not exist; its parent is made), held to the same
 * bounds as an upload: a stored package is trusted no more than one arriving over HTTP.
 */
export async function unpackStored(
  db: Database,
  digest: string,
  destination: string,
  limits: PackageLimits,
): Promise<void> {
  const bytes = await fetchPackage(db, digest);
  await mkdir(path.dirname(destination), { recursive: true, mode: 0o755 });
  try {
    await unpackZip(bytes, destination, limits);
  } catch (error) {
    if (error instanceof PackageError) throw new PackageIntegrityError(digest, `cannot be unpacked: ${error.message}`);
    throw error;
  }
}

/**
 * The versions a plugin ran before, newest first, as many as PLUGIN_KEEP_VERSIONS keeps: what any replica may roll
 * back to, even one that never ran them.
 */
export function keptInStore(
  db: Database,
  name: string,
  current: string,
  keep: number,
): Promise<{ version: string; digest: string }[]> {
  return db.all(
    'SELECT version, digest FROM plugin_package_versions WHERE name = ? AND version <> ? ORDER BY recorded_at DESC, version DESC LIMIT ?',
    [name, current, keep],
  );
}

/** The digest recorded for a version of a plugin, if the store has it (versions installed before it did not). */
export async function digestOfVersion(db: Database, name: string, version: string): Promise<string | undefined> {
  const row = await db.get<{ digest: string }>(
    'SELECT digest FROM plugin_package_versions WHERE name = ? AND version = ?',
    [name, version],
  );
  return row?.digest;
}
