// A plugin team's path as the authoring guide tells it, against a real server: the packed SDK and CLI, the
// guide's `sh guide-test` blocks run word for word in a folder outside the repository on the system's Node, and
// the deploy with an API token. Used by scripts/guide.test.ts (CI) and the bench (scripts/bench/b16-team-deploy.ts).
import { execFileSync, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { stripVTControlCharacters } from 'node:util';
import { guideBlocks, guideScript } from './blocks.ts';

export const root = path.resolve(import.meta.dirname, '../..');
export const guideFile = path.join(root, 'docs/plugin-authoring.md');
/** The Node a plugin team has: the system's (Node 20 here), not the app's pinned Node 24. */
export const systemNode = process.env.SYSTEM_NODE ?? '/usr/bin/node';
export const ADMIN = { username: 'admin', password: 'team-flow-admin-password' };

/** `npm pack` of the SDK and the CLI (their dist/ as built), into `out`. */
export function packKit(out: string): { sdk: string; cli: string } {
  const pack = (name: string) => {
    const json = execFileSync('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', out], {
      cwd: path.join(root, 'packages', name),
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    return path.join(out, (JSON.parse(json) as { filename: string }[])[0]!.filename);
  };
  return { sdk: pack('plugin-sdk'), cli: pack('cli') };
}

export interface TeamServer {
  url: string;
  dir: string;
  /** A `cookie` header of the instance admin. */
  adminCookie: string;
  /** Calls the API as the admin; throws on an error status. */
  admin(method: string, route: string, body?: unknown): Promise<Record<string, unknown>>;
  stop(): Promise<void>;
}

/** The real server (server/main.ts) in a child process on `port`, with one empty workspace `team`. */
export async function startTeamServer(port: number, env: Record<string, string> = {}): Promise<TeamServer> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'wb-team-server-'));
  mkdirSync(path.join(dir, 'workspaces/team/target'), { recursive: true });
  mkdirSync(path.join(dir, 'plugins'));
  writeFileSync(
    path.join(dir, 'workbench.config.json'),
    JSON.stringify({ workspaces: [{ name: 'team', title: 'Team', projectDir: 'workspaces/team' }] }),
  );
  const child: ChildProcess = spawn(process.execPath, [path.join(root, 'server/main.ts')], {
    cwd: root,
    env: {
      ...process.env,
      PORT: String(port),
      HOST: '127.0.0.1',
      LOG_LEVEL: 'warn',
      WORKBENCH_CONFIG: path.join(dir, 'workbench.config.json'),
      WORKBENCH_DATA_DIR: path.join(dir, 'data'),
      PLUGINS_DIRECTORY: path.join(dir, 'plugins'),
      WORKBENCH_ADMIN_USERNAME: ADMIN.username,
      WORKBENCH_ADMIN_PASSWORD: ADMIN.password,
      ...env,
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  const fail = (why: string) => {
    child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
    return new Error(`the server on port ${port} ${why}`);
  };
  for (;;) {
    if (child.exitCode !== null) throw fail(`exited with ${child.exitCode}`);
    if (
      await fetch(`${url}/api/info`).then(
        (r) => r.ok,
        () => false,
      )
    )
      break;
    if (Date.now() > deadline) throw fail('did not start within 60 s');
    await new Promise((r) => setTimeout(r, 100));
  }
  const login = await fetch(`${url}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(ADMIN),
  });
  const adminCookie = (login.headers.get('set-cookie') ?? '').split(';')[0]!;
  async function admin(method: string, route: string, body?: unknown) {
    const send = () =>
      fetch(`${url}${route}`, {
        method,
        headers: {
          cookie: adminCookie,
          origin: url,
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
    // After a long pause (the guide's npm install) the pooled connection may be the one the server has just closed
    // as idle: that request never reached a handler, so it is sent once more on a new connection.
    const response = await send().catch((error: { cause?: { code?: string } }) => {
      if (error.cause?.code === 'UND_ERR_SOCKET') return send();
      throw error;
    });
    const text = await response.text();
    if (!response.ok) throw new Error(`${method} ${route} answered ${response.status}: ${text}`);
    return JSON.parse(text) as Record<string, unknown>;
  }
  return {
    url,
    dir,
    adminCookie,
    admin,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
        // A server still closing after 5 s (a plugin backend winding down) is stopped for good.
        setTimeout(() => child.kill('SIGKILL'), 5000).unref();
      }).then(() => rmSync(dir, { recursive: true, force: true })),
  };
}

/** What running the guide's blocks gave. */
export interface GuideRun {
  status: number | null;
  /** stdout and stderr together, in order of the commands (bash -x echoes each). */
  output: string;
  /** The folder the blocks ran in; the project is its `team-widget/`. */
  cwd: string;
  ms: number;
}

/** Runs the guide's `sh guide-test` blocks, word for word, in a fresh folder on the system's Node and npm. */
export function runGuide(env: { sdk: string; cli: string; server: string; token: string }): GuideRun {
  const cwd = mkdtempSync(path.join(os.tmpdir(), 'wb-team-'));
  const script = guideScript(guideBlocks(readFileSync(guideFile, 'utf8')));
  const started = performance.now();
  const result = spawnSync('bash', ['-c', `exec 2>&1\n${script}`], {
    cwd,
    encoding: 'utf8',
    env: {
      ...process.env,
      // A team's machine: its own Node and npm first, nothing of this repository on the PATH.
      PATH: `${path.dirname(systemNode)}${path.delimiter}${process.env.PATH}`,
      WORKBENCH_SDK: env.sdk,
      WORKBENCH_CLI: env.cli,
      WORKBENCH_SERVER: env.server,
      WORKBENCH_TOKEN: env.token,
      npm_config_prefer_offline: 'true',
    },
    maxBuffer: 64 * 1024 * 1024,
  });
  return {
    status: result.status,
    output: stripVTControlCharacters(result.stdout),
    cwd,
    ms: performance.now() - started,
  };
}
