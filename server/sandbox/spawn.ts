import { spawn, type ChildProcess } from 'node:child_process';
import { chownSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import type { SandboxLayer } from '@dbt-workbench/plugin-sdk/contracts/sandbox.schema';
import type { SandboxSupport } from './layers.ts';

/** The child's first file; it may read its own folder and nothing else of the server. */
export const BOOTSTRAP = path.join(import.meta.dirname, 'child', 'bootstrap.ts');

/** What a plugin backend is allowed, as decided from its manifest, approvals and the server's settings. */
export interface SandboxGrant {
  plugin: string;
  pluginDir: string;
  dataDir: string;
  /** Extra folders it may read: `permissions.fs`, the targets of its workspaces with `read-metadata`. */
  readDirs: string[];
  /** Extra folders it may write (and read): `permissions.fs` entries with `access: "write"`. */
  writeDirs: string[];
  /** Granted variables with their values (empty without `access-environment-config`). */
  env: Record<string, string>;
  memoryMb: number;
  /** Hosts it may connect to (`permissions.network`); `any`: every host (PLUGIN_NETWORK_ALLOWED). */
  network: readonly string[] | 'any';
  /** The user id to run as, when the server can switch users. */
  uid: number;
}

export interface LaunchPlan {
  command: string;
  args: string[];
  env: Record<string, string>;
  cwd: string;
  /** Every layer, on or off, with why. */
  layers: SandboxLayer[];
  /** The memory cgroup limit to apply after spawning, when the cgroup layer is on. */
  cgroupMb: number | null;
  uid: number | null;
}

/** Headroom of the memory cgroup over the JS heap limit: Node itself takes about 45 MB. */
export const CGROUP_HEADROOM_MB = 64;

/**
 * True when any user may reach `target`: x on every folder above it, and on the target itself r+x for a folder
 * to read (`read`), x for a folder to pass through or a program to run (`enter`).
 */
export function othersCanRead(target: string, mode: 'read' | 'enter' = 'read'): boolean {
  let dir = path.resolve(target);
  try {
    const own = statSync(dir);
    const needed = own.isDirectory() && mode === 'read' ? 0o005 : 0o001;
    if ((own.mode & needed) !== needed) return false;
    for (;;) {
      const parent = path.dirname(dir);
      if (parent === dir) return true;
      if ((statSync(parent).mode & 0o001) === 0) return false;
      dir = parent;
    }
  } catch {
    return false;
  }
}

function chownTree(dir: string, uid: number): void {
  chownSync(dir, uid, uid);
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const child = path.join(dir, entry.name);
    if (entry.isDirectory()) chownTree(child, uid);
    else chownSync(child, uid, uid);
  }
}

/** Makes the plugin's data folder, owned by its user id when it has one. */
export function prepareDataDir(dataDir: string, uid: number | null): void {
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  prepareWriteDir(dataDir, uid);
}

/** Gives a folder the plugin may write to its user id, when it runs as its own: the file modes are the OS layer. */
export function prepareWriteDir(dir: string, uid: number | null): void {
  if (uid !== null && statSync(dir).uid !== uid) chownTree(dir, uid);
}

/** Decides how to start one plugin backend: which wrappers, Node flags, environment and layers. */
export function planLaunch(grant: SandboxGrant, support: SandboxSupport, execPath: string): LaunchPlan {
  const layers: SandboxLayer[] = [{ layer: 'process', active: true, detail: 'its own child process' }];
  const readDirs = [grant.pluginDir, path.dirname(BOOTSTRAP), grant.dataDir, ...grant.readDirs, ...grant.writeDirs];
  const writeDirs = [grant.dataDir, ...grant.writeDirs];
  const offline = grant.network !== 'any' && grant.network.length === 0;
  const unreadable = [
    ...[grant.pluginDir, path.dirname(BOOTSTRAP)].filter((p) => !othersCanRead(p, 'read')),
    ...[execPath, path.dirname(grant.dataDir)].filter((p) => !othersCanRead(p, 'enter')),
  ];
  const useUid = support.userId.ok && unreadable.length === 0;
  const wrappers: string[] = [];
  if (support.networkNamespace.ok && offline) wrappers.push('unshare', '--net');
  if (useUid) wrappers.push('setpriv', `--reuid=${grant.uid}`, `--regid=${grant.uid}`, '--clear-groups');

  const node = [
    ...(support.permissionModel.ok
      ? [
          '--permission',
          ...readDirs.map((d) => `--allow-fs-read=${d}`),
          ...writeDirs.map((d) => `--allow-fs-write=${d}`),
        ]
      : []),
    `--max-old-space-size=${grant.memoryMb}`,
    '--frozen-intrinsics',
    '--disable-warning=ExperimentalWarning',
    BOOTSTRAP,
  ];
  const [command, ...args] = [...wrappers, execPath, ...node];

  layers.push({
    layer: 'permission-model',
    active: support.permissionModel.ok,
    detail: support.permissionModel.ok
      ? `reads ${readDirs.join(', ')}; writes ${writeDirs.join(', ')}; no child processes, workers, addons or WASI`
      : `unavailable: ${support.permissionModel.detail}`,
  });
  const granted = Object.keys(grant.env);
  layers.push({
    layer: 'environment',
    active: true,
    detail: granted.length > 0 ? `only ${granted.join(', ')}` : 'empty: no variables granted',
  });
  layers.push({
    layer: 'user-id',
    active: useUid,
    detail: useUid
      ? `runs as uid/gid ${grant.uid}, no supplementary groups`
      : support.userId.ok
        ? `off: ${unreadable.join(', ')} cannot be read by other users`
        : `off: ${support.userId.detail}`,
  });
  layers.push({
    layer: 'network-namespace',
    active: support.networkNamespace.ok && offline,
    detail: !offline
      ? `off: ${grant.network === 'any' ? 'network granted by PLUGIN_NETWORK_ALLOWED' : 'it may connect to the hosts in permissions.network'}`
      : support.networkNamespace.ok
        ? 'private network namespace: no connections, loopback included'
        : `off: ${support.networkNamespace.detail}`,
  });
  layers.push({
    layer: 'network-guard',
    active: grant.network !== 'any',
    detail:
      grant.network === 'any'
        ? 'off: any host (PLUGIN_NETWORK_ALLOWED)'
        : `TCP and TLS only to ${offline ? 'no host' : grant.network.join(', ')}; no UDP, no Unix sockets (checked in the process, its intrinsics frozen: a seat belt)`,
  });
  layers.push({ layer: 'heap-limit', active: true, detail: `--max-old-space-size=${grant.memoryMb}` });
  const cgroupMb = support.memoryCgroup.ok ? grant.memoryMb + CGROUP_HEADROOM_MB : null;
  layers.push({
    layer: 'memory-cgroup',
    active: cgroupMb !== null,
    detail: cgroupMb !== null ? `${cgroupMb} MB for the whole process` : `off: ${support.memoryCgroup.detail}`,
  });
  layers.push({
    layer: 'memory-watchdog',
    active: support.procStatm.ok,
    detail: support.procStatm.ok
      ? `killed when its resident memory passes ${grant.memoryMb + CGROUP_HEADROOM_MB} MB`
      : `off: ${support.procStatm.detail}`,
  });
  layers.push({ layer: 'signal-guard', active: true, detail: 'process.kill only for its own pid' });
  return {
    command: command!,
    args,
    env: grant.env,
    cwd: grant.dataDir,
    layers,
    cgroupMb,
    uid: useUid ? grant.uid : null,
  };
}

/** Starts the child with its channel on fd 3, in its own process group. */
export function launch(plan: LaunchPlan): ChildProcess {
  return spawn(plan.command, plan.args, {
    cwd: plan.cwd,
    env: plan.env,
    stdio: ['ignore', 'pipe', 'pipe', 'pipe'],
    detached: true,
  });
}
