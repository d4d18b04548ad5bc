import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ModuleFederationPlugin } from '@module-federation/enhanced/rspack';
import type { RspackOptions } from '@rspack/core';
import { PluginManifest } from '../contracts/plugin-manifest.schema.ts';
import { validate } from '../contracts/validation.ts';
import { chunkGlobalFor, remoteNameFor } from '../contracts/versions.ts';
import { sharedConfig } from './shared-modules.ts';
import { typescriptRule } from './swc-rule.ts';

// Compiled next to the SDK's index.js: dist/build/remote-preset.js.
const sdkEntry = fileURLToPath(new URL('../index.js', import.meta.url));

/** Reads and validates a plugin's manifest, throwing one readable error that lists every problem. */
export function readPluginManifest(pluginDir: string): PluginManifest {
  const file = path.join(pluginDir, 'manifest.json');
  const result = validate(PluginManifest, JSON.parse(readFileSync(file, 'utf8')));
  if (!result.ok) {
    throw new Error(`${file} is invalid:\n${result.problems.map((p) => `  - ${p.message}`).join('\n')}`);
  }
  return result.value;
}

/**
 * Maps each module named by the manifest's contributions to its source file: `./Widget` is `src/Widget.tsx`
 * (or `.ts`). The manifest stays the one place that says what a remote exposes.
 */
export function exposesFor(pluginDir: string, manifest: PluginManifest): Record<string, string> {
  const modules = new Set((manifest.frontend?.contributions ?? []).flatMap((c) => ('module' in c ? [c.module] : [])));
  return Object.fromEntries(
    [...modules].map((module) => {
      const base = path.join(pluginDir, 'src', module.slice(2));
      const file = ['.tsx', '.ts'].map((ext) => base + ext).find((candidate) => existsSync(candidate));
      if (!file) throw new Error(`${manifest.name}: module "${module}" has no source file ${base}.tsx or .ts`);
      return [module, file];
    }),
  );
}

/**
 * The Module Federation manifest plugin warns on every build that, with `publicPath: 'auto'`, hosts resolve the
 * remote's chunks from the URL its manifest was served from. Here that is the design, not a mistake: the server
 * serves each remote under a revision path known only at run time (`/plugins/<name>/<revision>/frontend/`), an
 * independently deployed remote lives at any URL, and the runtime supports 'auto' for exactly this. A fixed
 * publicPath would break both, and `getPublicPath` makes hosts evaluate code, which the app's CSP forbids.
 */
const autoPublicPathNotice =
  "Manifest will use absolute path resolution via its host at runtime, reason: publicPath='auto'";

/** True for a build log line worth printing: everything but the notice above. */
export function isWorthLogging(args: readonly unknown[]): boolean {
  return !args.some((arg) => typeof arg === 'string' && arg.includes(autoPublicPathNotice));
}

/** The console rspack's infrastructure logger writes to, without the expected `publicPath: 'auto'` notice. */
function buildConsole(): Console {
  const quiet = Object.create(console) as Console;
  quiet.warn = (...args: unknown[]) => {
    if (isWorthLogging(args)) console.warn(...args);
  };
  return quiet;
}

export interface RemoteBuildOptions {
  pluginDir: string;
  mode: 'development' | 'production';
}

/** The rspack configuration that builds a plugin's `src/` into a Module Federation remote in `frontend/`. */
export function createRemoteConfig({ pluginDir, mode }: RemoteBuildOptions): RspackOptions {
  const manifest = readPluginManifest(pluginDir);
  return {
    mode,
    context: pluginDir,
    entry: {},
    devtool: mode === 'development' ? 'cheap-module-source-map' : false,
    output: {
      path: path.join(pluginDir, 'frontend'),
      // Chunks resolve from wherever the remote was served: see autoPublicPathNotice.
      publicPath: 'auto',
      uniqueName: remoteNameFor(manifest.name),
      chunkLoadingGlobal: chunkGlobalFor(manifest.name),
      filename: '[name].[contenthash:8].js',
      chunkFilename: '[name].[contenthash:8].js',
      strictModuleExceptionHandling: true,
      clean: true,
    },
    resolve: {
      extensions: ['.tsx', '.ts', '.js'],
      // This preset's own SDK, so a plugin folder without a node_modules of its own (a scratch folder) builds too.
      alias: { '@dbt-workbench/plugin-sdk$': sdkEntry },
    },
    module: { rules: [typescriptRule(false)] },
    plugins: [
      new ModuleFederationPlugin({
        name: remoteNameFor(manifest.name),
        filename: 'remoteEntry.js',
        exposes: exposesFor(pluginDir, manifest),
        shared: sharedConfig('remote'),
        shareStrategy: 'loaded-first',
        manifest: true,
        dts: false,
      }),
    ],
    performance: { hints: false },
    infrastructureLogging: { console: buildConsole() },
  };
}
