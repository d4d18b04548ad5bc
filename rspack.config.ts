import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ModuleFederationPlugin } from '@module-federation/enhanced/rspack';
import { rspack, type RspackOptions } from '@rspack/core';
import { sharedConfig } from '@dbt-workbench/plugin-sdk/build/shared-modules';
import { typescriptRule } from '@dbt-workbench/plugin-sdk/build/swc-rule';

const root = path.dirname(fileURLToPath(import.meta.url));

/** The shell: a Module Federation host that knows no remotes at build time; it learns them from the server. */
export function createShellConfig(mode: 'development' | 'production'): RspackOptions {
  return {
    mode,
    context: root,
    entry: { main: './shell/main.tsx' },
    devtool: mode === 'development' ? 'cheap-module-source-map' : 'source-map',
    output: {
      path: path.join(root, 'dist/shell'),
      publicPath: '/',
      uniqueName: 'workbench_shell',
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
      new rspack.HtmlRspackPlugin({ template: './shell/index.html', favicon: './shell/favicon.svg' }),
      new ModuleFederationPlugin({
        name: 'workbench_shell',
        shared: sharedConfig('host'),
        shareStrategy: 'loaded-first',
        dts: false,
        experiments: { asyncStartup: true },
      }),
    ],
    performance: { hints: false },
  };
}

export default createShellConfig(process.env.NODE_ENV === 'development' ? 'development' : 'production');
