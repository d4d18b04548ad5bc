// `workbench-plugin dev [dir] --plugins-dir <dir>`: rebuilds on every change into a running app's plugins
// directory. The server's watcher sees the new build and open browsers swap in the new code without a reload.
import { cpSync, existsSync, mkdirSync, readFileSync, watch, writeFileSync, type FSWatcher } from 'node:fs';
import path from 'node:path';
import { rspack } from '@rspack/core';
import { parse } from '../args.ts';
import { CliError, type Command } from '../errors.ts';
import { pluginDirectory, readValidManifest } from '../plugin-dir.ts';
import { remoteConfig } from './build.ts';

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

/** Starts watching; resolves with a function that stops it. `onBuild` hears of every finished build. */
export async function startDev(
  dir: string,
  pluginsDir: string,
  onBuild: (result: { ok: boolean; ms: number; errors?: string }) => void,
): Promise<() => Promise<void>> {
  const manifest = readValidManifest(dir);
  const target = path.join(pluginsDir, manifest.name);
  const inPlace = path.resolve(target) === path.resolve(dir);
  if (!inPlace) copyPackageFiles(dir, target);
  const config = { ...remoteConfig(dir, 'development', path.join(target, 'frontend')) };
  process.env.MF_BUILD_VERSION = manifest.version;
  const compiler = rspack(config);
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
    await new Promise<void>((resolve) => watching.close(() => resolve()));
    delete process.env.MF_BUILD_VERSION;
  };
}

export const devCommand: Command = {
  name: 'dev',
  summary: 'rebuild on change into a running app’s plugins directory',
  usage: `Usage: workbench-plugin dev [dir] --plugins-dir <folder>

Watches the plugin in [dir] (default: the current folder) and, on every change to src/, rebuilds its
remote (development mode) into <folder>/<name>/frontend; manifest.json, static/ and backend/ are copied
there too and again when they change. <folder> is the running app's PLUGINS_DIRECTORY: the server
notices each build and every open browser swaps in the new code, no reload needed. Stop with Ctrl-C.`,
  async run(args) {
    const { positionals, values } = parse('dev', args, { 'plugins-dir': { type: 'string' } });
    if (!values['plugins-dir']) {
      throw new CliError("dev: --plugins-dir <folder> is required (the running app's PLUGINS_DIRECTORY)");
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
    await new Promise<void>((resolve) => {
      process.once('SIGINT', resolve);
      process.once('SIGTERM', resolve);
    });
    await stop();
  },
};
