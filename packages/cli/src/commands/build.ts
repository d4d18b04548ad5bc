// `workbench-plugin build [dir]`: the plugin's src/ into a Module Federation remote in frontend/, with the
// repo's remote preset (shared singletons, exposes from the manifest).
import { existsSync } from 'node:fs';
import path from 'node:path';
import { rspack, type RspackOptions } from '@rspack/core';
import { createRemoteConfig } from '@dbt-workbench/plugin-sdk/build/remote-preset';
import { parse } from '../args.ts';
import { CliError, type Command } from '../errors.ts';
import { pluginDirectory, readValidManifest } from '../plugin-dir.ts';
import { apiDeprecationWarnings } from './validate.ts';

/** The preset's configuration for a plugin, writing to `outputDir` (default: the plugin's own `frontend/`). */
export function remoteConfig(dir: string, mode: 'development' | 'production', outputDir?: string): RspackOptions {
  const manifest = readValidManifest(dir);
  if (!existsSync(path.join(dir, 'src'))) {
    throw new CliError(`${manifest.name} has no src/ folder: there is no frontend to build`);
  }
  let config: RspackOptions;
  try {
    config = createRemoteConfig({ pluginDir: dir, mode });
  } catch (error) {
    throw new CliError(`${(error as Error).message} (add the file, or fix the contribution's "module")`);
  }
  return outputDir ? { ...config, output: { ...config.output, path: outputDir } } : config;
}

/** Builds once; resolves with the time taken, rejects with rspack's errors. */
export async function buildPlugin(dir: string, mode: 'development' | 'production' = 'production'): Promise<number> {
  const manifest = readValidManifest(dir);
  const config = remoteConfig(dir, mode);
  const started = performance.now();
  // The build version baked into the remote must be the plugin's own (see scripts/build.ts).
  process.env.MF_BUILD_VERSION = manifest.version;
  try {
    await new Promise<void>((resolve, reject) => {
      const compiler = rspack(config);
      compiler.run((error, stats) => {
        compiler.close(() => {
          if (error) return reject(error);
          if (stats?.hasErrors()) {
            return reject(
              new CliError(`build failed:\n${stats.toString({ all: false, errors: true, colors: false })}`),
            );
          }
          resolve();
        });
      });
    });
  } finally {
    delete process.env.MF_BUILD_VERSION;
  }
  return Math.round(performance.now() - started);
}

export const buildCommand: Command = {
  name: 'build',
  summary: 'build src/ into the remote in frontend/',
  usage: `Usage: workbench-plugin build [dir] [--dev]

Builds the plugin in [dir] (default: the current folder): every module its contributions name
(src/<Module>.tsx) into a Module Federation remote in frontend/. React, react-router, zustand and
TanStack Query come from the app as shared singletons. --dev: a development build (source maps).
Warns about uses of deprecated SDK members, as validate does.`,
  async run(args) {
    const { positionals, values } = parse('build', args, { dev: { type: 'boolean' } });
    const dir = pluginDirectory(positionals[0]);
    const manifest = readValidManifest(dir);
    const ms = await buildPlugin(dir, values.dev ? 'development' : 'production');
    console.log(`built ${manifest.name}@${manifest.version} into ${path.join(dir, 'frontend')} in ${ms} ms`);
    for (const w of await apiDeprecationWarnings(dir, manifest)) console.log(`warning  ${w.message}  [${w.rule}]`);
  },
};
