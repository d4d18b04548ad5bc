// `workbench-plugin dev --server URL --token T`: the dev build is served from this machine and registered with a
// running server as a dev session of the token's admin; nothing is written to the server's disk.
import { createReadStream, existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import * as devApi from '@dbt-workbench/plugin-sdk/contracts/dev-session-api';
import type { RouteContract, RouteInput, RouteResponse } from '@dbt-workbench/plugin-sdk/contracts/http';
import { CliError } from '../errors.ts';
import { readValidManifest } from '../plugin-dir.ts';
import { callServer } from '../server-api.ts';
import { backendFiles, watchBackend } from './dev-backend.ts';
import { watchRemote, type BuildResult } from './dev.ts';

const TYPES: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
};

/**
 * Serves the latest build in `root` on loopback to any origin (the shell loads the remote cross-origin), never
 * cached, under a path per build (`/b<n>/...`): a page that reloads the remote asks for the new build's chunks at
 * new URLs, so neither the browser nor the federation runtime hands it the old ones.
 */
async function serveBuild(root: string, port: number): Promise<Server> {
  const server = createServer((request, response) => {
    response.setHeader('access-control-allow-origin', '*');
    // Chromium's Private Network Access: a page of a public server asks before it reads from this loopback server.
    response.setHeader('access-control-allow-private-network', 'true');
    response.setHeader('cache-control', 'no-store');
    if (request.method === 'OPTIONS') {
      response.writeHead(204, { 'access-control-allow-methods': 'GET', 'access-control-allow-headers': '*' }).end();
      return;
    }
    const pathname = decodeURIComponent(new URL(request.url ?? '/', 'http://x').pathname).replace(/^\/b\d+\//, '/');
    const file = path.resolve(root, `.${pathname}`);
    if (!file.startsWith(root + path.sep) || !existsSync(file) || !statSync(file).isFile()) {
      response.writeHead(404).end('not found');
      return;
    }
    response.writeHead(200, { 'content-type': TYPES[path.extname(file)] ?? 'application/octet-stream' });
    createReadStream(file).pipe(response);
  });
  await new Promise<void>((resolve, reject) => server.once('error', reject).listen(port, '127.0.0.1', resolve));
  return server;
}

function serverUrl(raw: string): URL {
  try {
    const url = new URL(raw);
    if (url.protocol === 'http:' || url.protocol === 'https:') return url;
  } catch {
    // named below
  }
  throw new CliError(
    `dev: --server must be the app's http(s) address, e.g. https://workbench.example.com, not "${raw}"`,
  );
}

/** A refusal of the dev-session API: the server's own words, and its status. */
class RefusedError extends CliError {
  readonly status: number;
  constructor(message: string, status: number) {
    super(message);
    this.status = status;
  }
}

/** One call of the dev-session API, its answer parsed; a refusal is a RefusedError carrying the server's own words. */
async function call<C extends RouteContract>(
  server: URL,
  token: string,
  contract: C,
  input: RouteInput<C>,
): Promise<RouteResponse<C>> {
  const answer = await callServer('dev', server, token, contract, input);
  if (answer.ok) return answer.value;
  const { status, message } = answer.failure;
  if (answer.failure.kind === 'mismatch') throw new RefusedError(`dev: ${message}`, status);
  const hint = status === 403 ? '; an admin makes a token with the plugins:dev scope under Admin → API tokens' : '';
  throw new RefusedError(`dev: the server refused the dev session (${status}): ${message}${hint}`, status);
}

export interface BackendResult {
  ok: boolean;
  ms: number;
  /** Which upload this was, counting from 1, when it runs. */
  build?: number;
  /** Why the server did not run it. */
  error?: string;
}

export interface RemoteDev {
  /** Where the shell loads the latest build's remote from; none for a plugin without a frontend. */
  readonly entry: string | undefined;
  stop(): Promise<void>;
}

/**
 * Builds `dir` in watch mode into a temporary folder served on 127.0.0.1:`port` (0: any free port), registers the
 * first good build as a dev session and announces every later one, so the developer's shells reload it; a plugin
 * without a frontend registers at once and builds nothing. A refused dev session stops everything and throws the
 * server's reason. While it runs, a heartbeat keeps the session alive at the pace the server asks (a session whose
 * CLI stops beating ends by itself); one found ended (the machine slept) is registered again.
 */
export async function startRemoteDev(options: {
  dir: string;
  server: string;
  token: string;
  port?: number;
  onBuild: (result: BuildResult) => void;
  /** Told of every upload of backend/ to the developer's dev slot (a plugin with a `backend.entry` only). */
  onBackend?: (result: BackendResult) => void;
}): Promise<RemoteDev> {
  const server = serverUrl(options.server);
  const manifest = readValidManifest(options.dir);
  if (!manifest.frontend && !manifest.backend?.entry)
    throw new CliError(`dev: ${manifest.name} has neither a frontend nor a backend process to develop`);
  const params = { name: manifest.name };
  const outDir = mkdtempSync(path.join(os.tmpdir(), `workbench-dev-${manifest.name}-`));
  const files = await serveBuild(outDir, options.port ?? 0);
  const origin = `http://127.0.0.1:${(files.address() as AddressInfo).port}`;
  let builds = 0;
  const entryOf = (build: number) => `${origin}/b${build}/${manifest.frontend!.remote}`;

  let registered = false;
  let heartbeat: NodeJS.Timeout | undefined;
  let uploadBackend: () => Promise<void> = async () => {};
  const register = async () => {
    // The manifest as it is now: the dev build may add contributions; the server checks its capabilities.
    const { signature: _signature, ...current } = JSON.parse(
      readFileSync(path.join(options.dir, 'manifest.json'), 'utf8'),
    );
    const { heartbeatSeconds } = await call(server, options.token, devApi.startDevSession, {
      params,
      body: { manifest: current, ...(manifest.frontend ? { entry: entryOf(builds) } : {}) },
    });
    registered = true;
    clearInterval(heartbeat);
    heartbeat = setInterval(() => void beat(), heartbeatSeconds * 1000);
  };
  const beat = async () => {
    try {
      const { backendLost } = await call(server, options.token, devApi.beatDevSession, { params });
      if (backendLost) {
        console.error('dev: the server that ran your dev backend restarted; uploading backend/ again');
        await uploadBackend();
      }
    } catch (error) {
      if (!(error instanceof RefusedError && error.status === 404)) return console.error((error as Error).message);
      console.error('dev: the dev session had ended (no heartbeat reached the server); starting it again');
      await register()
        .then(() => uploadBackend())
        .catch((again: unknown) => console.error((again as Error).message));
    }
  };
  let firstBuild: (error?: Error) => void = () => {};
  const ready = new Promise<void>((resolve, reject) => {
    firstBuild = (error) => (error ? reject(error) : resolve());
  });
  const stopWatching = manifest.frontend
    ? await watchRemote(options.dir, outDir, async (result) => {
        options.onBuild(result);
        if (!result.ok) return;
        const entry = entryOf(++builds);
        try {
          if (!registered) {
            await register();
            firstBuild();
          } else {
            await call(server, options.token, devApi.announceDevBuild, { params, body: { entry } });
          }
        } catch (error) {
          if (!registered) firstBuild(error as Error);
          else console.error((error as Error).message);
        }
      })
    : async () => {};
  if (!manifest.frontend) register().then(() => firstBuild(), firstBuild);
  let stopBackend = () => {};
  const stop = async () => {
    clearInterval(heartbeat);
    stopBackend();
    if (registered) await call(server, options.token, devApi.endDevSession, { params }).catch(() => {});
    await stopWatching();
    await new Promise<void>((resolve) => files.close(() => resolve()));
    rmSync(outDir, { recursive: true, force: true });
  };
  try {
    await ready;
  } catch (error) {
    await stop();
    throw error;
  }
  const backendDir = path.join(options.dir, 'backend');
  if (manifest.backend?.entry && existsSync(backendDir)) {
    // One upload at a time, the latest files: a change during an upload is sent once that one is answered.
    let uploading: Promise<void> = Promise.resolve();
    const upload = (uploadBackend = () =>
      (uploading = uploading.then(async () => {
        const started = performance.now();
        try {
          const { build } = await call(server, options.token, devApi.deployDevBackend, {
            params,
            body: { files: backendFiles(backendDir) },
          });
          options.onBackend?.({ ok: true, ms: Math.round(performance.now() - started), build });
        } catch (error) {
          options.onBackend?.({
            ok: false,
            ms: Math.round(performance.now() - started),
            error: (error as Error).message,
          });
        }
      })));
    await upload();
    stopBackend = watchBackend(backendDir, () => void upload());
  }
  return {
    get entry() {
      return manifest.frontend ? entryOf(builds) : undefined;
    },
    stop,
  };
}
