import { spawn } from 'node:child_process';
import type { Readable } from 'node:stream';

/** How a run's process ended. `error` is set when it could not be started at all. */
export interface ChildExit {
  code: number | null;
  signal: NodeJS.Signals | null;
  error?: string;
}

/** A started command. */
export interface RunningChild {
  readonly pid: number | undefined;
  /** Settles once the process has exited and its output is read. Never rejects. */
  readonly exited: Promise<ChildExit>;
  /** SIGTERM, then SIGKILL when it is still alive after `graceMs`. Resolves when it has exited. */
  terminate(graceMs: number): Promise<ChildExit>;
}

/**
 * The environment a run gets: only PATH, HOME, LANG and the `DBT_*` variables of the server, so the server's
 * secrets (database URLs, admin passwords) never reach the command.
 */
export function runEnvironment(env: NodeJS.ProcessEnv = process.env): Record<string, string> {
  const picked: Record<string, string> = {};
  for (const [key, value] of Object.entries(env)) {
    if (value === undefined) continue;
    if (key === 'PATH' || key === 'HOME' || key === 'LANG' || key.startsWith('DBT_')) picked[key] = value;
  }
  return picked;
}

/** `node` in a run command means this server's own Node (24), whatever the PATH finds first. */
export function resolveCommand(argv: readonly string[]): { file: string; args: string[] } {
  const [program = '', ...args] = argv;
  return { file: program === 'node' ? process.execPath : program, args };
}

/** Calls `onLine` for every line of a stream, without its line break; a last line without one counts too. */
function readLines(stream: Readable, onLine: (line: string) => void): Promise<void> {
  let rest = '';
  stream.setEncoding('utf8');
  stream.on('data', (data: string) => {
    const parts = (rest + data).split('\n');
    rest = parts.pop() ?? '';
    for (const part of parts) onLine(part.endsWith('\r') ? part.slice(0, -1) : part);
  });
  return new Promise((resolve) => {
    const done = () => {
      if (rest !== '') onLine(rest);
      rest = '';
      resolve();
    };
    stream.once('end', done);
    stream.once('close', done);
    stream.once('error', done);
  });
}

// Own process group (POSIX), so cancel reaches what the command starts too (dbt's adapters, a shell's children).
const ownGroup = process.platform !== 'win32';

/** Starts `argv` in `cwd` and streams its output line by line. */
export function startChild(options: {
  argv: readonly string[];
  cwd: string;
  env: Record<string, string>;
  onLine: (stream: 'stdout' | 'stderr', line: string) => void;
}): RunningChild {
  const { file, args } = resolveCommand(options.argv);
  const child = spawn(file, args, {
    cwd: options.cwd,
    env: options.env,
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: ownGroup,
  });
  const output = Promise.all([
    readLines(child.stdout, (line) => options.onLine('stdout', line)),
    readLines(child.stderr, (line) => options.onLine('stderr', line)),
  ]);
  let alive = true;
  const exited = new Promise<ChildExit>((resolve) => {
    child.once('error', (error) => {
      // Only a failure to start ends the run here; kill errors come after 'spawn' and 'exit' still follows.
      if (child.pid !== undefined) return;
      alive = false;
      resolve({ code: null, signal: null, error: `Could not start "${options.argv[0]}": ${error.message}` });
    });
    child.once('exit', (code, signal) => {
      alive = false;
      // A grandchild may keep the pipes open after the command exits: read what comes for a moment, then stop.
      const cutOff = setTimeout(() => {
        child.stdout.destroy();
        child.stderr.destroy();
      }, 1000);
      void output.then(() => {
        clearTimeout(cutOff);
        resolve({ code, signal });
      });
    });
  });

  function signal(name: NodeJS.Signals): void {
    if (!alive || child.pid === undefined) return;
    try {
      if (ownGroup) process.kill(-child.pid, name);
      else child.kill(name);
    } catch {
      child.kill(name); // the group is gone but the process may not be
    }
  }

  return {
    pid: child.pid,
    exited,
    terminate(graceMs) {
      signal('SIGTERM');
      const kill = setTimeout(() => signal('SIGKILL'), graceMs);
      return exited.finally(() => clearTimeout(kill));
    },
  };
}
