// `workbench-plugin dev [dir] --plugins-dir <dir>`: rebuilds on every change into a running app's plugins
// directory. The server's watcher sees the new build and open browsers swap in the new code without a reload.
import { cpSync, existsSync, mkdirSync, readFileSync, watch, writeFileSync, type FSWatcher } from 'node:fs';
import path from 'node:path';
import { rspack } from '@rspack/core';
import { parse } from '../args.ts';
import { CliError, type Command } from '../errors.ts';
import { pluginDirectory, readValidManifest } from '../plugin-dir.ts';
import { remoteConfig } from './build.ts';
import { startRemoteDev } from './dev-remote.ts';

/**
 * Copies the package files other than the build (manifest.json, static/, backend/) into the target folder. The
 * manifest goes without its `signature`: a dev build is not what was signed, and a server refuses a package whose
 * signature does not match (an unsigned one runs unless the server requires signatures).
 */
function copyPackageFiles(dir: string, target: string): void {
  mkdirSync(target, { recursive: true });
  const { signature: _signature, ...unsigned } = JSON.parse(readFileSync(path.join(dir, 'manifest.json'), 'utf8'));
  writeFileSync(path.join(target, 'manifest.json'), `${JSON.stringify(unsigned, null, 2)}\n`);
  for (const folder of ['static', 'backend']) {
    if (existsSync(path.join(dir, folder)))
      cpSync(path.join(dir, folder), path.join(target, folder), { recursive: true });
  }
}

export interface BuildResult {
  ok: boolean;
  ms: number;
  errors?: string;
}

/** Builds the remote of `dir` (development mode) into `outDir` on every change; resolves with what stops it. */
export async function watchRemote(
  dir: string,
  outDir: string,
  onBuild: (result: BuildResult) => void,
): Promise<() => Promise<void>> {
  process.env.MF_BUILD_VERSION = readValidManifest(dir).version;
  const compiler = rspack(remoteConfig(dir, 'development', outDir));
  let started = performance.now();
  compiler.hooks.watchRun.tap('workbench-plugin-dev', () => {
    started = performance.now();
  });
  const watching = compiler.watch({ aggregateTimeout: 100 }, (error, stats) => {
    const ms = Math.round(performance.now() - started);
    if (error) return onBuild({ ok: false, ms, errors: error.message });
    if (stats?.hasErrors()) {
      return onBuild({ ok: false, ms, errors: stats.toString({ all: false, errors: true, colors: false }) });
    }
    onBuild({ ok: true, ms });
  });
  return async () => {
    await new Promise<void>((resolve) => watching.close(() => resolve()));
    delete process.env.MF_BUILD_VERSION;
  };
}

/** Starts watching; resolves with a function that stops it. `onBuild` hears of every finished build. */
export async function startDev(
  dir: string,
  pluginsDir: string,
  onBuild: (result: BuildResult) => void,
): Promise<() => Promise<void>> {
  const manifest = readValidManifest(dir);
  const target = path.join(pluginsDir, manifest.name);
  const inPlace = path.resolve(target) === path.resolve(dir);
  if (!inPlace) copyPackageFiles(dir, target);
  const stopWatching = await watchRemote(dir, path.join(target, 'frontend'), onBuild);
  const watchers: FSWatcher[] = [];
  if (!inPlace) {
    const recopy = () => {
      try {
        copyPackageFiles(dir, target);
      } catch (error) {
        console.error(`could not copy the package files: ${(error as Error).message}`);
      }
    };
    watchers.push(watch(path.join(dir, 'manifest.json'), recopy));
    for (const folder of ['static', 'backend']) {
      if (existsSync(path.join(dir, folder))) watchers.push(watch(path.join(dir, folder), { recursive: true }, recopy));
    }
  }
  return async () => {
    for (const w of watchers) w.close();
    await stopWatching();
  };
}

export const devCommand: Command = {
  name: 'dev',
  summary: 'rebuild on change: into a running app’s plugins directory, or served to your own sessions of a server',
  usage: `Usage: workbench-plugin dev [dir] --plugins-dir <folder>
       workbench-plugin dev [dir] --server <url> --token <token> [--port <n>]

Watches the plugin in [dir] (default: the current folder) and, on every change to src/, rebuilds its
remote (development mode) into <folder>/<name>/frontend; manifest.json, static/ and backend/ are copied
there too and again when they change. <folder> is the running app's PLUGINS_DIRECTORY: the server
notices each build and every open browser swaps in the new code, no reload needed. Stop with Ctrl-C.

With --server, nothing is written to the server: the remote is built into a temporary folder served on
127.0.0.1:<port> (any free port by default) and registered as a dev session with an API token of scope
plugins:dev. Only the browser sessions of the admin who made the token load the dev build (and reload it
on every rebuild); everyone else keeps the approved version. A plugin with a backend process has its
backend/ folder uploaded too, at the start and after every change there: that admin's calls to
/api/ext/<name>/ reach it, in the server's sandbox with the approved rights; everyone else's reach the
approved backend. The plugin must be installed and approved on the server, and the dev manifest may ask
for no capability beyond the approved ones. Ctrl-C ends the session.`,
  async run(args) {
    const { positionals, values } = parse('dev', args, {
      'plugins-dir': { type: 'string' },
      server: { type: 'string' },
      token: { type: 'string' },
      port: { type: 'string' },
    });
    if (values.server) return runRemote(pluginDirectory(positionals[0]), values);
    if (!values['plugins-dir']) {
      throw new CliError(
        "dev: --plugins-dir <folder> is required (the running app's PLUGINS_DIRECTORY), or --server <url> --token <token>",
      );
    }
    const pluginsDir = path.resolve(values['plugins-dir']);
    if (!existsSync(pluginsDir))
      throw new CliError(`dev: ${pluginsDir} does not exist (is it the app's PLUGINS_DIRECTORY?)`);
    const dir = pluginDirectory(positionals[0]);
    const manifest = readValidManifest(dir);
    const stop = await startDev(dir, pluginsDir, ({ ok, ms, errors }) => {
      if (ok) console.log(`built ${manifest.name} into ${path.join(pluginsDir, manifest.name)} in ${ms} ms`);
      else console.error(`build failed (${ms} ms):\n${errors}`);
    });
    console.log(`watching ${path.join(dir, 'src')}; Ctrl-C stops`);
    console.log(
      'its UI runs isolated (in sandboxed frames) unless an admin set it in page: Admin → Plugins → UI trust; try both',
    );
    await untilStopped();
    await stop();
  },
};

const untilStopped = () =>
  new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });

async function runRemote(dir: string, values: { server?: string; token?: string; port?: string }): Promise<void> {
  const token = values.token ?? process.env.WORKBENCH_TOKEN;
  if (!token) throw new CliError('dev: --server needs --token <token> (or WORKBENCH_TOKEN), of scope plugins:dev');
  const port = values.port === undefined ? 0 : Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new CliError(`dev: --port must be a port number, not "${values.port}"`);
  const { name } = readValidManifest(dir);
  const session = await startRemoteDev({
    dir,
    server: values.server!,
    token,
    port,
    onBuild: ({ ok, ms, errors }) => {
      if (ok) console.log(`built ${name} in ${ms} ms`);
      else console.error(`build failed (${ms} ms):\n${errors}`);
    },
    onBackend: ({ ok, ms, build, error }) => {
      if (ok) console.log(`backend/ of ${name} runs in your dev slot (upload ${build}, ${ms} ms)`);
      else console.error(`backend/ not deployed (${ms} ms): ${error}`);
    },
  });
  const loads = session.entry ? `your sessions load ${session.entry}` : 'your calls reach your dev backend';
  console.log(`dev session of ${name} on ${values.server}: ${loads}; Ctrl-C ends it`);
  await untilStopped();
  await session.stop();
}
