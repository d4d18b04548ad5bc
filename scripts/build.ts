// Builds the shell and every plugin remote. Usage:
// The workspace packages (packages/*: the plugin SDK, then the CLI) are compiled first: the app imports them.
//   node scripts/build.ts                      packages, shell + plugins/*
//   node scripts/build.ts --plugins <dir>...   only the plugins found in these directories
//   node scripts/build.ts --plugin <dir>       only the plugin in this directory
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { rspack, type RspackOptions } from '@rspack/core';

const mode = process.env.NODE_ENV === 'development' ? 'development' : 'production';

function compile(label: string, config: RspackOptions): Promise<void> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const compiler = rspack(config);
    compiler.run((error, stats) => {
      compiler.close(() => {
        if (error) return reject(error);
        if (stats?.hasErrors()) {
          return reject(new Error(`${label} failed:\n${stats.toString({ all: false, errors: true, colors: false })}`));
        }
        console.log(`built ${label} in ${Math.round(performance.now() - started)} ms`);
        resolve();
      });
    });
  });
}

/** Plugin folders with sources to build: a manifest.json and a src/ folder. */
function pluginSourceDirs(parent: string): string[] {
  if (!existsSync(parent)) return [];
  return readdirSync(parent, { withFileTypes: true })
    .filter((entry) => entry.isDirectory()) // links point at plugins built from their own folder
    .map((entry) => path.resolve(parent, entry.name))
    .filter((dir) => existsSync(path.join(dir, 'manifest.json')) && existsSync(path.join(dir, 'src')));
}

/** Compiles the workspace packages with tsc, the SDK before the packages that depend on it. */
function buildPackages(): void {
  const root = path.resolve(import.meta.dirname, '..');
  const tsc = path.join(root, 'node_modules/typescript/bin/tsc');
  for (const name of ['plugin-sdk', 'cli']) {
    const project = path.join(root, 'packages', name, 'tsconfig.build.json');
    const started = performance.now();
    const result = spawnSync(process.execPath, [tsc, '-p', project], { stdio: 'inherit' });
    if (result.status !== 0) throw new Error(`package ${name} failed to compile`);
    console.log(`built package ${name} in ${Math.round(performance.now() - started)} ms`);
  }
}

async function buildPlugin(dir: string): Promise<void> {
  // Imported once the packages are compiled: the preset is the SDK's.
  const { createRemoteConfig, readPluginManifest } = await import('@dbt-workbench/plugin-sdk/build/remote-preset');
  const manifest = readPluginManifest(dir);
  // The build version baked into the remote must be the plugin's own, not the repo's (notes/module-federation.md).
  process.env.MF_BUILD_VERSION = manifest.version;
  try {
    await compile(`plugin ${manifest.name}@${manifest.version}`, createRemoteConfig({ pluginDir: dir, mode }));
  } finally {
    delete process.env.MF_BUILD_VERSION;
  }
}

async function main(): Promise<void> {
  buildPackages();
  const args = process.argv.slice(2);
  const single = args.indexOf('--plugin');
  if (single >= 0) {
    const dir = args[single + 1];
    if (!dir) throw new Error('--plugin needs the plugin directory');
    return buildPlugin(path.resolve(dir));
  }
  const pluginsFlag = args.indexOf('--plugins');
  const pluginParents = pluginsFlag >= 0 ? args.slice(pluginsFlag + 1) : ['plugins'];
  if (pluginsFlag < 0) {
    const { createIsolationConfig, createShellConfig } = await import('../rspack.config.ts');
    await compile('shell', createShellConfig(mode));
    await compile('isolation runtime', createIsolationConfig(mode));
  }
  for (const dir of pluginParents.flatMap(pluginSourceDirs)) await buildPlugin(dir);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
