import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ModuleFederationPlugin } from '@module-federation/enhanced/rspack';
import { rspack, type RspackOptions } from '@rspack/core';
import { sharedConfig } from '@dbt-workbench/plugin-sdk/build/shared-modules';
import { typescriptRule } from '@dbt-workbench/plugin-sdk/build/swc-rule';

const root = path.dirname(fileURLToPath(import.meta.url));

type Mode = 'development' | 'production';

interface HostBuild {
  /** The Module Federation name, also the bundle's unique name. */
  name: string;
  entry: string;
  template: string;
  favicon?: string;
  /** Under dist/. */
  outDir: string;
  publicPath: string;
}

/**
 * A Module Federation host that knows no remotes at build time; it learns them at run time. It shares the
 * modules every remote expects (shared-modules.ts), so a remote built once runs under each host.
 */
function hostConfig(mode: Mode, build: HostBuild): RspackOptions {
  return {
    mode,
    context: root,
    entry: { main: build.entry },
    devtool: mode === 'development' ? 'cheap-module-source-map' : 'source-map',
    output: {
      path: path.join(root, 'dist', build.outDir),
      publicPath: build.publicPath,
      uniqueName: build.name,
      filename: 'assets/[name].[contenthash:8].js',
      chunkFilename: 'assets/[name].[contenthash:8].js',
      cssFilename: 'assets/[name].[contenthash:8].css',
      clean: true,
    },
    resolve: { extensions: ['.tsx', '.ts', '.js'] },
    module: {
      rules: [typescriptRule(mode === 'development'), { test: /\.css$/, type: 'css/auto' }],
    },
    plugins: [
      new rspack.HtmlRspackPlugin({ template: build.template, favicon: build.favicon }),
      new ModuleFederationPlugin({
        name: build.name,
        shared: sharedConfig('host'),
        shareStrategy: 'loaded-first',
        dts: false,
        experiments: { asyncStartup: true },
      }),
    ],
    performance: { hints: false },
  };
}

/** The shell: the app's page, rendering in-page plugin contributions in its own realm. */
export function createShellConfig(mode: Mode): RspackOptions {
  return hostConfig(mode, {
    name: 'workbench_shell',
    entry: './shell/main.tsx',
    template: './shell/index.html',
    favicon: './shell/favicon.svg',
    outDir: 'shell',
    publicPath: '/',
  });
}

/** The isolation runtime: the document of every isolated plugin frame (served at /plugin-frames/...). */
export function createIsolationConfig(mode: Mode): RspackOptions {
  return hostConfig(mode, {
    name: 'workbench_isolation',
    entry: './shell/isolation/main.ts',
    template: './shell/isolation/index.html',
    outDir: 'isolation',
    publicPath: '/isolation/',
  });
}

export default createShellConfig(process.env.NODE_ENV === 'development' ? 'development' : 'production');
