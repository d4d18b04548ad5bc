import { readFileSync } from 'node:fs';

/** Programs a backend may be started through (server/sandbox/spawn.ts); they exec node, or fork it with --fork. */
const WRAPPERS = new Set(['unshare', 'setpriv']);

const readText = (file: string) => readFileSync(file, 'utf8');

/**
 * Resident memory (VmRSS) of the process `pid`, in MB to a tenth; when `pid` is still a sandbox wrapper, of the
 * process it started. Null when the process is gone or /proc cannot be read.
 */
export function residentMb(pid: number, read: (file: string) => string = readText): number | null {
  let current = pid;
  for (let hops = 0; hops < 3; hops++) {
    let status: string;
    try {
      status = read(`/proc/${current}/status`);
    } catch {
      return null;
    }
    const name = /^Name:\s*(\S+)/m.exec(status)?.[1];
    if (name && WRAPPERS.has(name)) {
      let children: string;
      try {
        children = read(`/proc/${current}/task/${current}/children`);
      } catch {
        return null;
      }
      const child = Number(children.trim().split(/\s+/)[0]);
      if (!child) return null;
      current = child;
      continue;
    }
    const kb = Number(/^VmRSS:\s*(\d+)\s*kB/m.exec(status)?.[1]);
    return Number.isFinite(kb) && kb > 0 ? Math.round((kb / 1024) * 10) / 10 : null;
  }
  return null;
}
