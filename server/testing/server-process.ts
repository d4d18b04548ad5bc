// The real server (`node server/main.ts`) in a child process on a free loopback port, for tests of what only a
// whole process shows: start-up, signals, crashes, several processes on one data folder or database.
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import path from 'node:path';

const repo = path.resolve(import.meta.dirname, '../..');

/** A loopback port nothing listens on at the moment of asking. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

export interface ServerProcess {
  url: string;
  child: ChildProcess;
  /** Resolves with the exit code, or the signal that ended the process. */
  exited: Promise<NodeJS.Signals | number | null>;
  /** What the process has written to stderr so far. */
  stderr(): string;
  /** Signs in and returns the session cookie (`name=value`). */
  signIn(username: string, password: string): Promise<string>;
  /** SIGTERM, then waits for the exit. */
  stop(): Promise<void>;
}

export interface ServerProcessOptions {
  /** Settings on top of this process's environment: PLUGINS_DIRECTORY, WORKBENCH_DATA_DIR and the like. */
  env: Record<string, string>;
  /** How long start-up may take; a loaded machine running test files in parallel is slow. */
  readyTimeoutMs?: number;
  /** The loopback port to listen on (a restart at the same address); a free one by default. */
  port?: number;
}

function hasExited(child: ChildProcess): boolean {
  return child.exitCode !== null || child.signalCode !== null;
}

/** Starts the server and resolves once `/api/info` answers; throws with its stderr if it exits or never answers. */
export async function startServerProcess(options: ServerProcessOptions): Promise<ServerProcess> {
  const port = options.port ?? (await freePort());
  const url = `http://127.0.0.1:${port}`;
  const child = spawn(process.execPath, ['server/main.ts'], {
    cwd: repo,
    env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'error', ...options.env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<NodeJS.Signals | number | null>((resolve) =>
    child.once('exit', (code, signal) => resolve(signal ?? code)),
  );
  const deadline = Date.now() + (options.readyTimeoutMs ?? 15_000);
  for (;;) {
    if (hasExited(child)) throw new Error(`the server exited: ${stderr}`);
    const ready = await fetch(`${url}/api/info`).then(
      (r) => r.ok,
      () => false,
    );
    if (ready) break;
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`the server did not start: ${stderr}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return {
    url,
    child,
    exited,
    stderr: () => stderr,
    async signIn(username, password) {
      const login = await fetch(`${url}/api/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username, password }),
      });
      if (!login.ok) throw new Error(`sign-in as ${username} failed: ${login.status} ${await login.text()}`);
      return (login.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
    },
    async stop() {
      if (!hasExited(child)) child.kill('SIGTERM');
      await exited;
    },
  };
}
