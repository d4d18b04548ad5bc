import { createHash } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import semver from 'semver';
import { CatalogIndex } from '../../../shared/installation.schema.ts';
import { PluginManifest } from '@dbt-workbench/plugin-sdk/contracts/plugin-manifest.schema';
import { validate } from '@dbt-workbench/plugin-sdk/contracts/validation';
import { PackageError } from './package-files.ts';

/** The catalog cannot be read at all: missing, unreachable, or not an index. */
export class CatalogError extends Error {}

/** One package the catalog offers. `location` is an absolute path or an http(s) URL. */
export interface CatalogPackage {
  manifest: PluginManifest;
  location: string;
  sha256: string | undefined;
  size: number | undefined;
}

export interface Catalog {
  /** Where the index was read from. */
  source: string;
  packages: CatalogPackage[];
  /** Entries skipped, each with the reason. */
  problems: string[];
}

const isUrl = (location: string) => /^https?:\/\//.test(location);
const FETCH_TIMEOUT_MS = 30_000;
const MAX_INDEX_BYTES = 5 * 1024 * 1024;

/** Reads an http(s) response body, refusing more than `maxBytes`. */
async function download(url: string, maxBytes: number, what: string): Promise<Buffer> {
  let response: Response;
  try {
    response = await fetch(url, { signal: AbortSignal.timeout(FETCH_TIMEOUT_MS), redirect: 'follow' });
  } catch (error) {
    throw new CatalogError(`${what} at ${url} cannot be fetched: ${(error as Error).message}`);
  }
  if (!response.ok) throw new CatalogError(`${what} at ${url} answered ${response.status} ${response.statusText}`);
  const declared = Number(response.headers.get('content-length') ?? 0);
  if (declared > maxBytes) throw new PackageError(`${what} is ${declared} bytes; at most ${maxBytes} are allowed`);
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of response.body ?? []) {
    total += (chunk as Uint8Array).length;
    if (total > maxBytes) throw new PackageError(`${what} is larger than ${maxBytes} bytes, the most allowed`);
    chunks.push(Buffer.from(chunk as Uint8Array));
  }
  return Buffer.concat(chunks);
}

async function readIndex(location: string): Promise<{ text: string; indexLocation: string }> {
  if (isUrl(location)) {
    const url = location.endsWith('/') ? `${location}index.json` : location;
    return { text: (await download(url, MAX_INDEX_BYTES, 'the catalog index')).toString('utf8'), indexLocation: url };
  }
  const info = await stat(location).catch(() => undefined);
  if (!info) throw new CatalogError(`${location} does not exist`);
  const file = info.isDirectory() ? path.join(location, 'index.json') : location;
  const text = await readFile(file, 'utf8').catch((error: Error) => {
    throw new CatalogError(`cannot read ${file}: ${error.message}`);
  });
  return { text, indexLocation: file };
}

/** Reads the catalog index (PLUGIN_CATALOG). Unusable entries are skipped and listed; an unusable index throws. */
export async function readCatalog(location: string): Promise<Catalog> {
  const { text, indexLocation } = await readIndex(location);
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new CatalogError(`${indexLocation} is not valid JSON: ${(error as Error).message}`);
  }
  const index = validate(CatalogIndex, json);
  if (!index.ok) {
    throw new CatalogError(
      `${indexLocation} is not a catalog index: ${index.problems.map((p) => p.message).join('; ')}`,
    );
  }
  const packages: CatalogPackage[] = [];
  const problems: string[] = [];
  for (const entry of index.value.packages) {
    const manifest = validate(PluginManifest, entry.manifest);
    if (!manifest.ok) {
      problems.push(`${entry.file}: its manifest is invalid: ${manifest.problems.map((p) => p.message).join('; ')}`);
      continue;
    }
    const location = isUrl(indexLocation)
      ? new URL(entry.file, indexLocation).href
      : isUrl(entry.file)
        ? entry.file
        : path.resolve(path.dirname(indexLocation), entry.file);
    packages.push({ manifest: manifest.value, location, sha256: entry.sha256, size: entry.size });
  }
  return { source: indexLocation, packages, problems };
}

/** The catalog's package of `name` at `version`, or its newest version satisfying `accept`. */
export function findPackage(
  catalog: Catalog,
  name: string,
  version: string | undefined,
  accept: (pkg: CatalogPackage) => boolean = () => true,
): CatalogPackage | undefined {
  const versions = catalog.packages
    .filter((p) => p.manifest.name === name)
    .sort((a, b) => semver.rcompare(a.manifest.version, b.manifest.version));
  if (version !== undefined) return versions.find((p) => p.manifest.version === version);
  return versions.find(accept) ?? versions[0];
}

/** The bytes of a catalog package, checked against the index's sha256 when it gives one. */
export async function packageBytes(pkg: CatalogPackage, maxBytes: number): Promise<Buffer> {
  const what = `the package ${pkg.manifest.name}@${pkg.manifest.version}`;
  let bytes: Buffer;
  if (isUrl(pkg.location)) bytes = await download(pkg.location, maxBytes, what);
  else {
    const info = await stat(pkg.location).catch(() => undefined);
    if (!info?.isFile()) throw new CatalogError(`${what} is missing from the catalog: ${pkg.location}`);
    if (info.size > maxBytes) throw new PackageError(`${what} is ${info.size} bytes; at most ${maxBytes} are allowed`);
    bytes = await readFile(pkg.location);
  }
  if (pkg.sha256 && createHash('sha256').update(bytes).digest('hex') !== pkg.sha256) {
    throw new PackageError(`${what} does not match the sha256 checksum the catalog gives for it`);
  }
  return bytes;
}

/** Package bytes kept in memory for serving icons and screenshots: the few most recently used. */
export function createPackageCache(maxEntries = 8) {
  const cache = new Map<string, Promise<Buffer>>();
  return (pkg: CatalogPackage, maxBytes: number): Promise<Buffer> => {
    const key = `${pkg.location}#${pkg.sha256 ?? ''}`;
    const hit = cache.get(key);
    if (hit) {
      cache.delete(key);
      cache.set(key, hit);
      return hit;
    }
    const loading = packageBytes(pkg, maxBytes);
    cache.set(key, loading);
    loading.catch(() => cache.delete(key));
    while (cache.size > maxEntries) cache.delete(cache.keys().next().value!);
    return loading;
  };
}
