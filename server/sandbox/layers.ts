import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { findCgroupParent, type CgroupParent } from './cgroup.ts';

/** A layer that was checked at start-up: whether it works on this machine, and why not when it does not. */
export interface LayerCheck {
  ok: boolean;
  detail: string;
}

/** Which OS layers the server can put around plugin backends here, checked once when the runtime starts. */
export interface SandboxSupport {
  /** Node's permission model (`--permission`). */
  permissionModel: LayerCheck;
  /** Switching to another user id with `setpriv` (needs root). */
  userId: LayerCheck;
  /** A private network namespace with `unshare --net` (needs root). */
  networkNamespace: LayerCheck;
  /** A writable memory cgroup hierarchy. */
  memoryCgroup: LayerCheck & { parent?: CgroupParent };
  /** `/proc/<pid>/statm` to watch a child's resident memory where no cgroup is available. */
  procStatm: LayerCheck;
}

function tryRun(argv: string[]): LayerCheck {
  const [command, ...args] = argv;
  const result = spawnSync(command!, args, { timeout: 10_000, stdio: ['ignore', 'ignore', 'pipe'], env: {} });
  if (result.error) return { ok: false, detail: `${command} failed: ${result.error.message}` };
  if (result.status !== 0) {
    const stderr = result.stderr.toString().trim().split('\n').at(-1) ?? '';
    return { ok: false, detail: `${argv.slice(0, 3).join(' ')} exited with ${result.status}: ${stderr}` };
  }
  return { ok: true, detail: '' };
}

export interface ProbeOptions {
  execPath: string;
  /** The user id to try switching to. */
  uid: number;
  /** Skip the OS layers (for tests of the fallback path). */
  withoutOsLayers?: boolean;
}

/** Tries each layer once (about 30 ms each) and says which hold on this machine. */
export function probeSandbox(options: ProbeOptions): SandboxSupport {
  const node = options.execPath;
  const permission = tryRun([node, '--permission', '-e', '0']);
  const isRoot = process.getuid?.() === 0;
  const notRoot: LayerCheck = {
    ok: false,
    detail: options.withoutOsLayers ? 'turned off for this server' : 'the server does not run as root',
  };
  const osLayers = isRoot && !options.withoutOsLayers;
  const userId = osLayers
    ? tryRun(['setpriv', `--reuid=${options.uid}`, `--regid=${options.uid}`, '--clear-groups', node, '-e', '0'])
    : notRoot;
  const net = osLayers ? tryRun(['unshare', '--net', node, '-e', '0']) : notRoot;
  const cgroup = options.withoutOsLayers
    ? { ok: false as const, reason: 'turned off for this server' }
    : findCgroupParent();
  const statm = existsSync('/proc/self/statm');
  return {
    permissionModel: permission.ok ? { ok: true, detail: '--permission' } : permission,
    userId: userId.ok ? { ok: true, detail: 'setpriv' } : userId,
    networkNamespace: net.ok ? { ok: true, detail: 'unshare --net' } : net,
    memoryCgroup: cgroup.ok
      ? { ok: true, detail: `cgroup v${cgroup.parent.version} at ${cgroup.parent.dir}`, parent: cgroup.parent }
      : { ok: false, detail: cgroup.reason },
    procStatm: statm ? { ok: true, detail: '/proc/<pid>/statm' } : { ok: false, detail: 'no /proc/<pid>/statm here' },
  };
}
