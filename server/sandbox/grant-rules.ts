import { readdirSync, realpathSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { PluginManifest } from '@dbt-workbench/plugin-sdk/contracts/plugin-manifest.schema';

// Folders no plugin backend is ever granted, whatever its manifest asks and whatever an admin approved: the
// server's own secrets, code and other plugins. A grant is judged after resolving it as the server would use it
// (relative to the plugin's folder, symlinks followed), so `../../data`, a link to `/` and `/` itself all fail.

/** A folder or file no grant may reach, with what it holds in words an admin reads. */
export interface ProtectedPath {
  path: string;
  why: string;
}

/** What grants are judged against; build it once per server with `protectedPathsOf`. */
export interface ProtectedPaths {
  /** Real paths, symlinks resolved. */
  paths: readonly ProtectedPath[];
  /** The real PLUGINS_DIRECTORY: each plugin's own folder is `<pluginsDirectory>/<name>`. */
  pluginsDirectory: string;
}

/** A `permissions.fs` entry resolved to the real path the sandbox would grant. */
export interface ResolvedGrant {
  /** As the manifest wrote it. */
  declared: string;
  /** Absolute, symlinks resolved (for a path that does not exist yet, those of its nearest existing parent). */
  real: string;
  access: 'read' | 'write';
}

/** The machine's secrets: password hashes, SSH and cloud keys, mounted secrets, kernel and process views. */
function systemPaths(home: string): ProtectedPath[] {
  const hashes = "the system users' password hashes";
  return [
    { path: '/proc', why: "process information, the server's environment included (/proc)" },
    { path: '/sys', why: 'kernel and device settings (/sys)' },
    { path: '/dev', why: 'devices (/dev)' },
    { path: '/etc/shadow', why: hashes },
    { path: '/etc/shadow-', why: hashes },
    { path: '/etc/gshadow', why: hashes },
    { path: '/etc/gshadow-', why: hashes },
    { path: '/etc/security/opasswd', why: hashes },
    { path: '/etc/sudoers', why: 'the sudo rules' },
    { path: '/etc/sudoers.d', why: 'the sudo rules' },
    { path: '/etc/ssh', why: "the machine's SSH host keys" },
    { path: '/root', why: "the root user's home" },
    { path: '/run/secrets', why: 'mounted secrets' },
    { path: '/var/run/secrets', why: 'mounted secrets' },
    ...['.ssh', '.gnupg', '.aws', '.azure', '.kube', '.docker', '.config/gcloud', '.netrc', '.npmrc', '.pgpass'].map(
      (name) => ({ path: path.join(home, name), why: "credentials of the server's user" }),
    ),
  ];
}

/** The real path of `target`; for a path that does not exist, its nearest existing parent's, joined with the rest. */
export function realPathOf(target: string): string {
  const absolute = path.resolve(target);
  try {
    return realpathSync(absolute);
  } catch {
    const parent = path.dirname(absolute);
    return parent === absolute ? absolute : path.join(realPathOf(parent), path.basename(absolute));
  }
}

/** Where the app's code lives: the folder holding `server/`, `shared/` and `node_modules/`. */
export const APP_ROOT = path.resolve(import.meta.dirname, '..', '..');

export interface ProtectedPathsInput {
  dataDirectory: string;
  pluginsDirectory: string;
  workspaces: readonly { name: string; targetDir: string }[];
  appRoot?: string;
  /** The home folder of the server's user; `os.homedir()` by default. */
  home?: string;
}

/** The protected paths of this server: its data, code, plugins, workspace artifacts and the machine's secrets. */
export function protectedPathsOf(input: ProtectedPathsInput): ProtectedPaths {
  const own: ProtectedPath[] = [
    {
      path: input.dataDirectory,
      why: "the app's data folder (WORKBENCH_DATA_DIR: the database with every user's password hash, sessions, secrets)",
    },
    { path: input.appRoot ?? APP_ROOT, why: "the app's code and its node_modules" },
    { path: input.pluginsDirectory, why: 'the plugins folder (PLUGINS_DIRECTORY: every plugin, its code)' },
    ...input.workspaces.map((w) => ({
      path: w.targetDir,
      why: `the artifacts of workspace "${w.name}" (a plugin reads those with read-metadata, where it is enabled)`,
    })),
  ];
  return {
    paths: [...own, ...systemPaths(input.home ?? os.homedir())].map((p) => ({ ...p, path: realPathOf(p.path) })),
    pluginsDirectory: realPathOf(input.pluginsDirectory),
  };
}

/** Whether `child` is `parent` or inside it. */
function within(parent: string, child: string): boolean {
  const relative = path.relative(parent, child);
  return relative === '' || (!relative.startsWith('..') && !path.isAbsolute(relative));
}

/**
 * Resolves a manifest's `permissions.fs` as the sandbox would grant them. Relative paths are relative to the
 * plugin's folder: `home`, where it is installed (`<pluginsDirectory>/<name>`); symlinks inside it are followed
 * in `directory`, where its files are now (the same folder, or a staged package before install).
 */
export function resolveGrants(manifest: PluginManifest, directory: string, home = directory): ResolvedGrant[] {
  return (manifest.permissions?.fs ?? []).map((entry) => {
    const declared = typeof entry === 'string' ? entry : entry.path;
    const access = typeof entry === 'string' ? 'read' : entry.access;
    const lexical = path.resolve(home, declared);
    const onDisk = within(home, lexical) ? path.join(directory, path.relative(home, lexical)) : lexical;
    return { declared, real: realPathOf(onDisk), access };
  });
}

/**
 * Why a real path may not be granted (`it is inside ...`), or undefined when it may. Pure. `ownDirectory` is the
 * real folder of the plugin's files: reading its own files is allowed (it may already), writing them is not (its
 * code would change after approval).
 */
export function whyRefused(
  real: string,
  access: 'read' | 'write',
  ownDirectory: string,
  rules: ProtectedPaths,
  plugin: string,
): string | undefined {
  if (within(ownDirectory, real)) {
    return access === 'write'
      ? "it is the plugin's own folder, and a plugin may not rewrite its code; it writes to its data folder (host.dataDir)"
      : undefined;
  }
  if (within(rules.pluginsDirectory, real) && real !== rules.pluginsDirectory) {
    const name = path.relative(rules.pluginsDirectory, real).split(path.sep)[0];
    if (name !== plugin) return `it is inside another plugin's folder ("${name}")`;
  }
  for (const p of rules.paths) {
    if (within(p.path, real)) return `it ${p.path === real ? 'is' : 'is inside'} ${p.path}, ${p.why}`;
    if (within(real, p.path)) return `it contains ${p.path}, ${p.why}`;
  }
  return undefined;
}

/** Why a resolved `permissions.fs` entry is refused, as a sentence naming it, or undefined when it may be granted. */
export function refusedGrant(
  grant: ResolvedGrant,
  ownDirectory: string,
  rules: ProtectedPaths,
  plugin: string,
): string | undefined {
  const why = whyRefused(grant.real, grant.access, ownDirectory, rules, plugin);
  if (!why) return undefined;
  return `permissions.fs "${grant.declared}"${grant.real === grant.declared ? '' : ` (${grant.real})`} is refused: ${why}`;
}

/** Every refused `permissions.fs` entry of a plugin, one sentence each; empty when all may be granted. */
export function refusedGrants(
  manifest: PluginManifest,
  directory: string,
  rules: ProtectedPaths,
  home = path.join(rules.pluginsDirectory, manifest.name),
): string[] {
  const own = realPathOf(directory);
  return resolveGrants(manifest, directory, home).flatMap((grant) => {
    const reason = refusedGrant(grant, own, rules, manifest.name);
    return reason ? [reason] : [];
  });
}

/**
 * The first symlink in a plugin's folder that leads where no grant may: `--permission` lets a backend read its
 * own folder and follows links in it, so a folder put under PLUGINS_DIRECTORY by hand (installs refuse links
 * that point out of the package) could reach the data folder without asking. Undefined when there is none.
 */
export function refusedLink(directory: string, rules: ProtectedPaths, plugin: string): string | undefined {
  const own = realPathOf(directory);
  let budget = 20_000;
  const walk = (dir: string, depth: number): string | undefined => {
    if (depth > 8) return undefined;
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (--budget < 0) return undefined;
      const file = path.join(dir, entry.name);
      if (entry.isSymbolicLink()) {
        const real = realPathOf(file);
        const why = whyRefused(real, 'read', own, rules, plugin);
        if (why) return `its folder holds the symlink ${path.relative(directory, file)} to ${real}, refused: ${why}`;
      } else if (entry.isDirectory()) {
        const found = walk(file, depth + 1);
        if (found) return found;
      }
    }
    return undefined;
  };
  return walk(directory, 0);
}
