// What a plugin folder holds, read before any rule is applied: the manifest, the built remote's manifest, missing
// static files, a content hash and (when signed) the package digest. Shared by the server's discovery and the CLI.
import { createHash } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { MAX_SCREENSHOTS } from '../contracts/plugin-manifest.schema.ts';
import { DEFAULT_DISCOVERY_LIMITS, packageBoundsProblem, sizeText, type DiscoveryLimits } from './package-bounds.ts';
import { packageDigest } from './digest.ts';

/** What discovery read from one directory holding a `manifest.json`, before any rule is applied. */
export interface PluginCandidate {
  /** Absolute path of the plugin's folder. */
  directory: string;
  /** The folder's name, which must equal the manifest's `name`. */
  folderName: string;
  /** The parsed `manifest.json`, or the reason it could not be read. */
  manifest: { ok: true; json: unknown } | { ok: false; error: string };
  /** The built remote's `frontend/mf-manifest.json` when the plugin ships one. */
  remoteManifest: { ok: true; json: unknown } | { ok: false; error: string } | undefined;
  /** Files the manifest names under `static/` (icon, screenshots) that do not exist. */
  missingStaticFiles: string[];
  /** Changes whenever the manifest or the remote build changes; part of asset URLs. */
  contentHash: string;
  /** The canonical digest of its package files (digest.ts), computed only when the manifest is signed. */
  packageDigest?: string;
}

export async function isFile(p: string): Promise<boolean> {
  return stat(p).then(
    (s) => s.isFile(),
    () => false,
  );
}

/** Reads and parses a JSON file, refusing (before reading it) one larger than `maxBytes`. */
async function readJson(
  file: string,
  maxBytes: number,
): Promise<{ ok: true; json: unknown; text: string } | { ok: false; error: string }> {
  let text: string;
  try {
    const { size } = await stat(file);
    if (size > maxBytes) {
      const name = path.basename(file);
      return {
        ok: false,
        error: `${name} is ${sizeText(size)}; at most ${sizeText(maxBytes)} is read (PLUGIN_MAX_MANIFEST_KB)`,
      };
    }
    text = await readFile(file, 'utf8');
  } catch (error) {
    return { ok: false, error: `cannot read ${path.basename(file)}: ${(error as Error).message}` };
  }
  try {
    return { ok: true, json: JSON.parse(text), text };
  } catch (error) {
    return { ok: false, error: `${path.basename(file)} is not valid JSON: ${(error as Error).message}` };
  }
}

/**
 * Reads a plugin folder's manifest and, when the plugin has a built remote, the remote's own manifest, within
 * `limits`: a manifest too large, or a package with too many files or bytes, gives a candidate whose manifest
 * could not be read, with the reason (the plugin is then `invalid` and nothing of it runs or is served).
 */
export async function readCandidate(directory: string, given: Partial<DiscoveryLimits> = {}): Promise<PluginCandidate> {
  const set = Object.entries(given).filter(([, value]) => value !== undefined);
  const limits: DiscoveryLimits = { ...DEFAULT_DISCOVERY_LIMITS, ...Object.fromEntries(set) };
  const read = await readJson(path.join(directory, 'manifest.json'), limits.maxManifestBytes);
  const tooBig = read.ok ? await packageBoundsProblem(directory, limits) : undefined;
  const manifest = tooBig ? ({ ok: false, error: tooBig } as const) : read;
  const remotePath = remoteManifestPath(directory, manifest.ok ? manifest.json : undefined);
  const remote =
    remotePath && (await isFile(remotePath)) ? await readJson(remotePath, limits.maxManifestBytes) : undefined;
  const hash = createHash('sha256');
  if (manifest.ok) hash.update(manifest.text);
  if (remote?.ok) hash.update(remote.text);
  return {
    directory,
    folderName: path.basename(directory),
    manifest: manifest.ok ? { ok: true, json: manifest.json } : manifest,
    remoteManifest: remote === undefined ? undefined : remote.ok ? { ok: true, json: remote.json } : remote,
    missingStaticFiles: manifest.ok ? await missingStaticFiles(directory, manifest.json) : [],
    contentHash: hash.digest('hex').slice(0, 10),
    ...(manifest.ok && isSigned(manifest.json) ? { packageDigest: await packageDigest(directory) } : {}),
  };
}

/** Whether a parsed manifest carries a `signature` object (only then is the package digest worth computing). */
function isSigned(manifest: unknown): boolean {
  const signature = (manifest as { signature?: unknown } | null)?.signature;
  return typeof signature === 'object' && signature !== null;
}

/** The icon and screenshots a manifest names that are not in the plugin's `static/` folder. */
async function missingStaticFiles(directory: string, manifest: unknown): Promise<string[]> {
  const { icon, screenshots } = (manifest ?? {}) as { icon?: unknown; screenshots?: unknown };
  // Read before the manifest is validated: a hostile list is cut at the most screenshots a valid one may have.
  const listed = Array.isArray(screenshots) ? screenshots.slice(0, MAX_SCREENSHOTS) : [];
  const named = [icon, ...listed].filter((f): f is string => typeof f === 'string');
  const present = await Promise.all(named.map((file) => isFile(path.join(directory, 'static', file))));
  return named.filter((_, i) => !present[i]);
}

/** The local `mf-manifest.json` beside the remote a manifest names, if it names a local one. */
function remoteManifestPath(directory: string, manifest: unknown): string | undefined {
  const remote = (manifest as { frontend?: { remote?: unknown } } | undefined)?.frontend?.remote;
  if (typeof remote !== 'string' || /^https?:/.test(remote) || remote.includes('..')) return undefined;
  return path.join(directory, 'frontend', path.dirname(remote), 'mf-manifest.json');
}
