// Helpers of the plugin backend benchmarks (B4, B6, B8): a whole app on a temp dir listening on loopback, with
// generated or fixture plugins approved, and a load loop in a second process.
import { execFile } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import type { Feature } from '../../server/context.ts';
import { approve, withFixtures } from '../../server/sandbox/testing.ts';
import { startTestApp, type TestApp } from '../../server/testing/test-app.ts';
import { testManifest } from '../../shared/testing/manifests.ts';
import type { LoadJob, LoadResult } from './load-client.ts';

export interface BenchApp {
  app: TestApp;
  url: string;
  close(): Promise<void>;
}

/** A generated plugin: `code` is its backend's `index.ts`. */
export interface GeneratedPlugin {
  name: string;
  capabilities: string[];
  code: string;
}

export async function startBenchApp(options: {
  features: Feature[];
  plugins?: GeneratedPlugin[];
  fixtures?: string[];
  env?: Record<string, string>;
}): Promise<BenchApp> {
  const plugins = options.plugins ?? [];
  const fixtures = options.fixtures ?? [];
  const app = await startTestApp({
    env: { PLUGINS_WATCH: 'false', PLUGIN_ROUTE_RATE: '1000000', PLUGIN_ROUTE_BURST: '1000000', ...options.env },
    features: options.features,
    prepare: (dir) => {
      withFixtures(...fixtures)(dir);
      for (const plugin of plugins) {
        const folder = path.join(dir, 'plugins', plugin.name);
        mkdirSync(path.join(folder, 'backend'), { recursive: true });
        const manifest = testManifest(plugin.name, {
          capabilities: plugin.capabilities,
          backend: { entry: 'index.ts' },
        });
        writeFileSync(path.join(folder, 'manifest.json'), JSON.stringify(manifest));
        writeFileSync(path.join(folder, 'backend', 'index.ts'), plugin.code);
      }
    },
  });
  for (const name of [...plugins.map((p) => p.name), ...fixtures]) await approve(app, name);
  await app.server.listen({ port: 0, host: '127.0.0.1' });
  const port = (app.server.server.address() as AddressInfo).port;
  return { app, url: `http://127.0.0.1:${port}`, close: () => app.close() };
}

/** Runs the load loop in its own Node process and returns what it measured. */
export function loadFromAnotherProcess(job: LoadJob): Promise<LoadResult> {
  const client = path.join(import.meta.dirname, 'load-client.ts');
  return new Promise((resolve, reject) => {
    execFile(process.execPath, [client, JSON.stringify(job)], { maxBuffer: 64 * 1024 * 1024 }, (error, stdout) => {
      if (error) reject(error);
      else resolve(JSON.parse(stdout) as LoadResult);
    });
  });
}

export async function until(what: string, check: () => Promise<boolean>, ms = 20_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}
