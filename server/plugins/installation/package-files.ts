import { createHash } from 'node:crypto';
import { chmod, lstat, mkdir, readdir, readFile, readlink, realpath, stat, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { readZipEntries, readZipEntry, readZipEntryAsync, ZipError } from '@dbt-workbench/plugin-sdk/node/zip-reader';

/** A package that cannot be installed, with every reason found. Routes answer it as a 400 `package_invalid`. */
export class PackageError extends Error {
  readonly problems: string[];

  constructor(message: string, problems: string[] = [message]) {
    super(message);
    this.problems = problems;
  }
}

/** How big a package may be: PLUGIN_MAX_PACKAGE_MB and PLUGIN_MAX_PACKAGE_FILES. */
export interface PackageLimits {
  maxBytes: number;
  maxFiles: number;
  /** PLUGIN_MAX_MANIFEST_KB: the largest manifest.json read, in bytes (discovery's default without it). */
  maxManifestBytes?: number;
}

const megabytes = (bytes: number) => `${Math.round((bytes / 1024 / 1024) * 10) / 10} MB`;

/**
 * The relative path an archive entry may be written to, or why it may not: absolute paths, drive letters,
 * backslashes, `..` segments and control characters are refused. Pure.
 */
export function entryPathProblem(name: string): string | undefined {
  if (name.length === 0) return 'an entry has an empty name';
  // eslint-disable-next-line no-control-regex -- control characters are exactly what this refuses
  if (/[\u0000-\u001f]/.test(name)) return `"${name}" has control characters in its name`;
  if (name.includes('\\')) return `"${name}" uses backslashes; zip paths use forward slashes`;
  if (name.startsWith('/') || /^[a-zA-Z]:/.test(name)) return `"${name}" is an absolute path`;
  if (name.split('/').includes('..')) return `"${name}" climbs out of the package with ".."`;
  return undefined;
}

/** Where a symlink stored at `linkPath` (relative) lands, or undefined when that is outside the package. Pure. */
export function symlinkTargetInside(linkPath: string, target: string): string | undefined {
  if (target.startsWith('/') || target.includes('\\') || target.length === 0) return undefined;
  const resolved = path.posix.normalize(path.posix.join(path.posix.dirname(linkPath), target));
  return resolved === '..' || resolved.startsWith('../') ? undefined : resolved;
}

/**
 * Unpacks a zip archive into `destination` (which must not exist yet). Every name is checked before anything is
 * written; symlinks are created last, so no file is ever written through one. `afterFirstFile` is a test seam.
 */
export async function unpackZip(
  bytes: Buffer,
  destination: string,
  limits: PackageLimits,
  afterFirstFile: () => void = () => {},
): Promise<void> {
  if (bytes.length > limits.maxBytes) {
    throw new PackageError(
      `the archive is ${megabytes(bytes.length)}; at most ${megabytes(limits.maxBytes)} is allowed`,
    );
  }
  let entries;
  let problems: string[];
  try {
    entries = readZipEntries(bytes, { maxEntries: limits.maxFiles, maxTotalBytes: limits.maxBytes });
    problems = entries.flatMap((entry) => {
      const problem = entryPathProblem(entry.name.replace(/\/$/, ''));
      if (problem) return [problem];
      if (entry.kind !== 'symlink') return [];
      const target = readZipEntry(bytes, entry).toString('utf8');
      return symlinkTargetInside(entry.name, target)
        ? []
        : [`"${entry.name}" is a symlink pointing outside the package`];
    });
  } catch (error) {
    if (error instanceof ZipError) throw new PackageError(error.message);
    throw error;
  }
  if (problems.length > 0) throw new PackageError(`the archive has unsafe entries: ${problems.join('; ')}`, problems);

  await mkdir(destination, { recursive: false, mode: 0o755 });
  let written = 0;
  try {
    for (const entry of entries.filter((e) => e.kind !== 'symlink')) {
      const target = path.join(destination, ...entry.name.split('/').filter((s) => s !== '' && s !== '.'));
      if (entry.kind === 'directory') {
        await mkdir(target, { recursive: true, mode: 0o755 });
        continue;
      }
      await mkdir(path.dirname(target), { recursive: true, mode: 0o755 });
      // Owner can write, everyone can read (plugin backends run as their own user); executables stay executable.
      const mode = entry.mode & 0o111 ? 0o755 : 0o644;
      await writeFile(target, await readZipEntryAsync(bytes, entry), { flag: 'wx', mode });
      await chmod(target, mode);
      if (++written === 1) afterFirstFile();
    }
    for (const entry of entries.filter((e) => e.kind === 'symlink')) {
      const target = path.join(destination, ...entry.name.split('/').filter((s) => s !== '' && s !== '.'));
      await mkdir(path.dirname(target), { recursive: true, mode: 0o755 });
      await symlink(readZipEntry(bytes, entry).toString('utf8'), target);
    }
  } catch (error) {
    if (error instanceof ZipError) throw new PackageError(error.message);
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') {
      throw new PackageError('the archive names the same path twice (or a file where a folder is)');
    }
    throw error;
  }
}

export interface TreeFacts {
  files: number;
  bytes: number;
}

/**
 * Checks an unpacked, copied or cloned package: at most `limits` files and bytes, and every symlink resolving to
 * an existing path inside the package. Throws a PackageError listing the problems.
 */
export async function checkTree(root: string, limits: PackageLimits): Promise<TreeFacts> {
  const realRoot = await realpath(root);
  const facts: TreeFacts = { files: 0, bytes: 0 };
  const problems: string[] = [];
  async function walk(dir: string): Promise<void> {
    for (const name of await readdir(dir)) {
      const full = path.join(dir, name);
      const relative = path.relative(root, full);
      const info = await lstat(full);
      facts.files++;
      if (facts.files > limits.maxFiles) {
        throw new PackageError(`the package has more than ${limits.maxFiles} files, the most allowed`);
      }
      if (info.isSymbolicLink()) {
        const resolved = await realpath(full).catch(() => undefined);
        if (!resolved) problems.push(`"${relative}" is a symlink to a missing file (${await readlink(full)})`);
        else if (resolved !== realRoot && !resolved.startsWith(realRoot + path.sep)) {
          problems.push(`"${relative}" is a symlink pointing outside the package`);
        }
      } else if (info.isDirectory()) await walk(full);
      else if (info.isFile()) {
        facts.bytes += info.size;
        if (facts.bytes > limits.maxBytes) {
          throw new PackageError(`the package is larger than ${megabytes(limits.maxBytes)}, the most allowed`);
        }
      } else problems.push(`"${relative}" is not a regular file, folder or symlink`);
    }
  }
  await walk(root);
  if (problems.length > 0) throw new PackageError(`the package has unsafe files: ${problems.join('; ')}`, problems);
  return facts;
}

/**
 * The folder holding the package's `manifest.json`: the root, or its only subfolder (archives made by zipping a
 * folder rather than its contents).
 */
export async function packageRoot(dir: string): Promise<string> {
  const isFile = (p: string) =>
    stat(p).then(
      (s) => s.isFile(),
      () => false,
    );
  if (await isFile(path.join(dir, 'manifest.json'))) return dir;
  const entries = (await readdir(dir, { withFileTypes: true })).filter((e) => e.name !== '__MACOSX');
  const only = entries[0];
  if (entries.length === 1 && only?.isDirectory() && (await isFile(path.join(dir, only.name, 'manifest.json')))) {
    return path.join(dir, only.name);
  }
  throw new PackageError('the package has no manifest.json at its root');
}

/** A checksum of a folder's contents: sha256 over every path, kind and content, in name order. */
export async function treeChecksum(root: string): Promise<string> {
  const hash = createHash('sha256');
  async function walk(dir: string, prefix: string): Promise<void> {
    for (const name of (await readdir(dir)).sort()) {
      const full = path.join(dir, name);
      const info = await lstat(full);
      if (info.isSymbolicLink()) hash.update(`L\0${prefix}${name}\0${await readlink(full)}\0`);
      else if (info.isDirectory()) {
        hash.update(`D\0${prefix}${name}\0`);
        await walk(full, `${prefix}${name}/`);
      } else
        hash
          .update(`F\0${prefix}${name}\0`)
          .update(await readFile(full))
          .update('\0');
    }
  }
  await walk(root, '');
  return `tree-sha256:${hash.digest('hex')}`;
}

/** The checksum of an archive's bytes, as recorded for zip installs. */
export function archiveChecksum(bytes: Buffer): string {
  return `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
}
