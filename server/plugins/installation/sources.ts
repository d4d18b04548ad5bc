import { cp, mkdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { cloneRepository } from './git.ts';
import {
  archiveChecksum,
  checkTree,
  PackageError,
  packageRoot,
  treeChecksum,
  unpackZip,
  type PackageLimits,
} from './package-files.ts';

/** Where a package comes from. `label` of a zip says how it arrived (`upload`, `marketplace:<name>@<version>`). */
export type PackageSource =
  | { kind: 'zip'; bytes: Buffer; label: string; expect?: { name: string; version: string } }
  | { kind: 'path'; path: string }
  | { kind: 'git'; url: string; ref?: string };

/** A package copied into staging, checked for size, file count and symlinks, not yet validated as a plugin. */
export interface StagedPackage {
  /** The folder holding `manifest.json`. */
  root: string;
  /** `sha256:<hex>` of an archive, or `tree-sha256:<hex>` of a folder or a git checkout. */
  checksum: string;
  /** What `plugin_installations.source` records: `upload`, `path:/srv/x`, `git:<url>#<commit>`, ... */
  source: string;
}

export interface StageOptions {
  limits: PackageLimits;
  gitTimeoutMs: number;
  /** Test seam: called once the first file of an archive is written. */
  midway?: () => void;
}

/** Copies, unpacks or clones a source into `<stagingDir>/package` and checks it. Leaves files only in `stagingDir`. */
export async function stagePackage(
  source: PackageSource,
  stagingDir: string,
  options: StageOptions,
): Promise<StagedPackage> {
  await mkdir(stagingDir, { recursive: true, mode: 0o755 });
  const target = path.join(stagingDir, 'package');
  const { limits } = options;
  let checksum: string | undefined;
  let label: string;
  switch (source.kind) {
    case 'zip':
      await unpackZip(source.bytes, target, limits, options.midway);
      checksum = archiveChecksum(source.bytes);
      label = source.label;
      break;
    case 'path': {
      if (!path.isAbsolute(source.path)) throw new PackageError('path: must be an absolute path on the server');
      const info = await stat(source.path).catch(() => undefined);
      if (!info) throw new PackageError(`path: ${source.path} does not exist on the server`);
      label = `path:${source.path}`;
      if (info.isFile()) {
        if (info.size > limits.maxBytes) {
          throw new PackageError(`the archive is larger than ${limits.maxBytes} bytes, the most allowed`);
        }
        const bytes = await readFile(source.path);
        await unpackZip(bytes, target, limits, options.midway);
        checksum = archiveChecksum(bytes);
      } else if (info.isDirectory()) {
        await checkTree(source.path, limits);
        await cp(source.path, target, {
          recursive: true,
          verbatimSymlinks: true,
          filter: (from) => path.basename(from) !== '.git',
        });
        options.midway?.();
      } else throw new PackageError(`path: ${source.path} is neither a folder nor a zip archive`);
      break;
    }
    case 'git': {
      const { commit } = await cloneRepository(source.url, source.ref, target, options.gitTimeoutMs);
      label = `git:${source.url}#${source.ref ? `${source.ref}@` : ''}${commit}`;
      options.midway?.();
      break;
    }
  }
  const root = await packageRoot(target);
  await checkTree(root, limits);
  return { root, checksum: checksum ?? (await treeChecksum(root)), source: label };
}
