import { existsSync, mkdirSync, readdirSync, readFileSync, rmdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/** A directory under which the server may make one memory cgroup per plugin backend process. */
export interface CgroupParent {
  version: 1 | 2;
  dir: string;
}

/** One child's memory cgroup: SIGKILL for the child at the limit, whatever allocates (heap, Buffers, native). */
export interface MemoryCgroup {
  dir: string;
  /** Moves a process in; do it before the child runs plugin code. */
  add(pid: number): void;
  /** True once the kernel killed something in it for memory. */
  oomKilled(): boolean;
  remove(): void;
}

function read(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}

/** Where the server's own memory cgroup lives, for v2 (unified) and v1 (memory controller) hierarchies. */
function ownCgroups(): CgroupParent[] {
  const lines = (read('/proc/self/cgroup') ?? '').split('\n').filter(Boolean);
  const mounts = (read('/proc/self/mountinfo') ?? '').split('\n');
  const found: CgroupParent[] = [];
  for (const line of lines) {
    const [, controllers, own] = line.split(':');
    if (own === undefined) continue;
    if (controllers === '') {
      const mount = mounts.find((m) => m.includes(' - cgroup2 '))?.split(' ')[4];
      if (mount && (read(path.join(mount, own, 'cgroup.controllers')) ?? '').split(/\s+/).includes('memory'))
        found.push({ version: 2, dir: path.join(mount, own) });
    } else if (controllers?.split(',').includes('memory')) {
      const mount = mounts.find((m) => / - cgroup .*\bmemory\b/.test(m))?.split(' ')[4];
      if (mount) found.push({ version: 1, dir: path.join(mount, own) });
    }
  }
  return found;
}

function limitFiles(version: 1 | 2): string[] {
  return version === 2 ? ['memory.max', 'memory.swap.max'] : ['memory.limit_in_bytes', 'memory.memsw.limit_in_bytes'];
}

/** Makes a cgroup with a memory limit; throws when the hierarchy refuses. The swap limit is best effort. */
function makeCgroup(parent: CgroupParent, name: string, bytes: number): MemoryCgroup {
  const dir = path.join(parent.dir, name);
  mkdirSync(dir, { recursive: true });
  const [limit, swap] = limitFiles(parent.version);
  writeFileSync(path.join(dir, limit!), String(bytes));
  try {
    writeFileSync(path.join(dir, swap!), parent.version === 2 ? '0' : String(bytes));
  } catch {
    // No swap accounting here: the memory limit alone holds.
  }
  return {
    dir,
    add: (pid) => writeFileSync(path.join(dir, 'cgroup.procs'), String(pid)),
    oomKilled() {
      const events = read(path.join(dir, parent.version === 2 ? 'memory.events' : 'memory.oom_control')) ?? '';
      const kills = /oom_kill (\d+)/.exec(events);
      if (kills) return Number(kills[1]) > 0;
      return Number(read(path.join(dir, 'memory.failcnt')) ?? 0) > 0;
    },
    remove() {
      try {
        rmdirSync(dir);
      } catch {
        // Still has a process in it (the kernel reaps it shortly) or already gone.
      }
    },
  };
}

const isAlive = (pid: number) => existsSync(`/proc/${pid}`);

/** Removes the empty cgroups a server that died without cleaning up left behind (`workbench-<dead pid>`). */
function removeStale(base: string): void {
  let entries: string[];
  try {
    entries = readdirSync(base);
  } catch {
    return;
  }
  for (const name of entries) {
    const pid = Number(/^workbench-(\d+)$/.exec(name)?.[1]);
    if (!pid || pid === process.pid || isAlive(pid)) continue;
    const dir = path.join(base, name);
    for (const child of readdirSync(dir, { withFileTypes: true }).filter((e) => e.isDirectory())) {
      try {
        rmdirSync(path.join(dir, child.name));
      } catch {
        // Still holds a process.
      }
    }
    removeCgroupParent({ version: 1, dir });
  }
}

/**
 * Finds a writable memory cgroup hierarchy for plugin backends, making `<own cgroup>/workbench-<pid>` (v1) or a
 * sibling of the server's cgroup (v2, whose own cgroup holds processes and cannot delegate). Returns the reason
 * when none works, for diagnostics.
 */
export function findCgroupParent(): { ok: true; parent: CgroupParent } | { ok: false; reason: string } {
  const candidates = ownCgroups();
  if (candidates.length === 0) return { ok: false, reason: 'no memory cgroup controller is mounted' };
  const problems: string[] = [];
  for (const own of candidates) {
    const dirs =
      own.version === 2
        ? [path.join(path.dirname(own.dir), `workbench-${process.pid}`)]
        : [path.join(own.dir, `workbench-${process.pid}`)];
    for (const dir of dirs) {
      removeStale(path.dirname(dir));
      const parent = { version: own.version, dir };
      try {
        mkdirSync(dir, { recursive: true });
        if (own.version === 2) writeFileSync(path.join(dir, 'cgroup.subtree_control'), '+memory');
        makeCgroup(parent, 'probe', 64 * 1024 * 1024).remove();
        return { ok: true, parent };
      } catch (error) {
        problems.push(`cgroup v${own.version} at ${dir}: ${(error as Error).message}`);
      }
    }
  }
  return { ok: false, reason: problems.join('; ') };
}

/** A memory cgroup for one child process, named after the plugin and the process generation. */
export function createMemoryCgroup(parent: CgroupParent, name: string, megabytes: number): MemoryCgroup {
  return makeCgroup(parent, name, megabytes * 1024 * 1024);
}

/** Removes the server's parent cgroup when it stops (children must be gone). */
export function removeCgroupParent(parent: CgroupParent): void {
  if (!existsSync(parent.dir)) return;
  try {
    rmdirSync(parent.dir);
  } catch {
    // A child cgroup is still there; the next start uses its own pid-named parent.
  }
}
