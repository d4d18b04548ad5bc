// The canonical digest a plugin signature covers. Defined once here; the CLI's `sign` and the server's discovery
// both use it, so what a team signs is exactly what the server checks.
//
// The package's files are `manifest.json` plus every file under `frontend/`, `backend/` and `static/` except
// tests (`*.test.*`, `*.spec.*`): what `workbench-plugin pack` ships. `src/` and anything else are not part of
// it, nor is `frontend/` when `frontend.remote` is an absolute URL: the frontend is hosted there, and that folder
// is only the build the team uploads to its host. The digest is the sha256, in hex, of this text (UTF-8, `\n`
// line ends):
//
//   dbt-workbench-plugin-digest/1
//   <sha256 hex of file 1>  <relative path 1>
//   <sha256 hex of file 2>  <relative path 2>
//   ...
//
// with one line per file, sorted by relative path (forward slashes, compared as UTF-16 code units). The line of
// `manifest.json` hashes its canonical JSON instead of its bytes: parsed, the `signature` field removed, object
// keys sorted at every depth, no whitespace. A symlink is hashed as the text of its target.
import { createHash } from 'node:crypto';
import { lstat, readdir, readFile, readlink } from 'node:fs/promises';
import path from 'node:path';

/** The folders of a plugin that belong to its package, besides `manifest.json`. */
export const PACKAGE_FOLDERS = ['frontend', 'backend', 'static'] as const;

const HEADER = 'dbt-workbench-plugin-digest/1';

/** JSON with object keys sorted at every depth and no whitespace: the same value always gives the same text. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/** The manifest's canonical text without its `signature`: what the signature covers of manifest.json. */
export function unsignedManifestText(manifest: unknown): string {
  const { signature: _signature, ...rest } = (manifest ?? {}) as Record<string, unknown>;
  return canonicalJson(rest);
}

const sha256 = (data: string | Buffer) => createHash('sha256').update(data).digest('hex');

/** Whether a file under a package folder ships: tests do not. */
export function isShippedFile(relative: string): boolean {
  return !/\.(test|spec)\.[cm]?[jt]sx?$/.test(relative);
}

/** The absolute URL of a manifest's remote hosted elsewhere (on the team's origin or a CDN), or undefined. */
export function hostedRemoteOf(manifest: unknown): string | undefined {
  const remote = (manifest as { frontend?: { remote?: unknown } } | null)?.frontend?.remote;
  return typeof remote === 'string' && /^https?:\/\//i.test(remote) ? remote : undefined;
}

/** The package folders of a plugin folder: all of PACKAGE_FOLDERS but `frontend` when its remote is hosted elsewhere. */
export async function packageFolders(pluginDir: string): Promise<string[]> {
  let manifest: unknown;
  try {
    manifest = JSON.parse(await readFile(path.join(pluginDir, 'manifest.json'), 'utf8'));
  } catch {
    manifest = undefined;
  }
  const hosted = hostedRemoteOf(manifest) !== undefined;
  return PACKAGE_FOLDERS.filter((folder) => !(hosted && folder === 'frontend'));
}

/** The relative paths (forward slashes, sorted) of a plugin folder's package files; manifest.json first if present. */
export async function packageFiles(pluginDir: string): Promise<string[]> {
  const found: string[] = [];
  async function walk(dir: string, prefix: string): Promise<void> {
    const entries = await readdir(dir).catch(() => [] as string[]);
    for (const name of entries) {
      const full = path.join(dir, name);
      const info = await lstat(full);
      if (info.isDirectory()) await walk(full, `${prefix}${name}/`);
      else if ((info.isFile() || info.isSymbolicLink()) && isShippedFile(name)) found.push(`${prefix}${name}`);
    }
  }
  for (const folder of await packageFolders(pluginDir)) await walk(path.join(pluginDir, folder), `${folder}/`);
  const manifest = await lstat(path.join(pluginDir, 'manifest.json')).catch(() => undefined);
  return [...(manifest ? ['manifest.json'] : []), ...found].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

/** The lines of the digest statement (see the top of this file), one per package file. */
export async function digestLines(pluginDir: string): Promise<string[]> {
  const lines: string[] = [];
  for (const file of await packageFiles(pluginDir)) {
    const full = path.join(pluginDir, ...file.split('/'));
    let hash: string;
    if (file === 'manifest.json') hash = sha256(unsignedManifestText(JSON.parse(await readFile(full, 'utf8'))));
    else if ((await lstat(full)).isSymbolicLink()) hash = sha256(await readlink(full));
    else hash = sha256(await readFile(full));
    lines.push(`${hash}  ${file}`);
  }
  return lines;
}

/** The canonical digest (sha256 hex) of a plugin folder's package. Throws when manifest.json is not JSON. */
export async function packageDigest(pluginDir: string): Promise<string> {
  const lines = await digestLines(pluginDir);
  return sha256([HEADER, ...lines].join('\n') + '\n');
}
