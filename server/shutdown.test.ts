// A clean stop: the real server in a child process, with a plugin backend that has answered a call and a shell's
// event stream open, exits soon after SIGTERM and leaves no backend process behind.
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { startServerProcess } from './testing/server-process.ts';

const repo = path.resolve(import.meta.dirname, '..');
const PASSWORD = 'shutdown-test-password';
let dir: string;

beforeAll(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'wb-shutdown-'));
  cpSync(path.join(repo, 'plugins/model-notes'), path.join(dir, 'plugins/model-notes'), { recursive: true });
  mkdirSync(path.join(dir, 'ws/target'), { recursive: true });
  writeFileSync(
    path.join(dir, 'workbench.config.json'),
    JSON.stringify({ workspaces: [{ name: 'alpha', projectDir: path.join(dir, 'ws') }] }),
  );
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The ids of every process below `root` (from /proc: parent ids in each process's stat line). */
function descendants(root: number): number[] {
  const parentOf = new Map<number, number>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      // The command name (in parentheses) may hold spaces; the fields after it are fixed.
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      parentOf.set(Number(entry), ppid);
    } catch {
      // gone meanwhile
    }
  }
  const found: number[] = [];
  const visit = (pid: number) => {
    for (const [child, parent] of parentOf) {
      if (parent !== pid) continue;
      found.push(child);
      visit(child);
    }
  };
  visit(root);
  return found;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

test(
  'SIGTERM: the server exits within 2 s, its plugin backends with it, an event stream open',
  { timeout: 120_000 },
  async () => {
    const server = await startServerProcess({
      env: {
        PLUGINS_DIRECTORY: path.join(dir, 'plugins'),
        WORKBENCH_DATA_DIR: path.join(dir, 'data'),
        WORKBENCH_CONFIG: path.join(dir, 'workbench.config.json'),
        WORKBENCH_ADMIN_PASSWORD: PASSWORD,
        SHELL_DIST_DIR: path.join(dir, 'no-shell'),
      },
      // Start-up is slow on a loaded machine (the suite runs files in parallel); only the stop is timed.
      readyTimeoutMs: 60_000,
    });
    const { url, child, exited } = server;
    try {
      const cookie = await server.signIn('admin', PASSWORD);
      const approve = await fetch(`${url}/api/plugins/model-notes/approve`, {
        method: 'POST',
        headers: { cookie, origin: url, 'content-type': 'application/json' },
        body: JSON.stringify({ version: '1.0.0' }),
      });
      expect(approve.status, await approve.text()).toBe(200);

      const call = () =>
        fetch(`${url}/api/ext/model-notes/notes?model=model.x`, {
          headers: { cookie, 'x-workbench-workspace': 'alpha' },
        });
      let answer = await call();
      for (const deadline = Date.now() + 30_000; answer.status !== 200 && Date.now() < deadline;) {
        await new Promise((resolve) => setTimeout(resolve, 100));
        answer = await call();
      }
      expect(await answer.json()).toEqual({ model: 'model.x', notes: [] });
      const backends = descendants(child.pid!);
      expect(backends.length, 'the backend runs in a process of its own').toBeGreaterThan(0);

      // A shell's live-update stream: a request that never finishes on its own.
      const events = await fetch(`${url}/api/events`, { headers: { cookie } });
      expect(events.headers.get('content-type')).toContain('text/event-stream');
      const streamEnded = events.body!.pipeTo(new WritableStream()).then(
        () => 'ended',
        () => 'ended',
      );

      const started = performance.now();
      child.kill('SIGTERM');
      const code = await Promise.race([
        exited,
        new Promise((resolve) => setTimeout(() => resolve('still running'), 2000)),
      ]);
      expect(code, `exit after SIGTERM; stderr: ${server.stderr()}`).toBe(0);
      expect(performance.now() - started).toBeLessThan(2000);
      expect(await streamEnded).toBe('ended');
      expect(backends.filter(alive), 'backend processes left running').toEqual([]);
    } finally {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    }
  },
);
