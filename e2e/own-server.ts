import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { test as base, type Page } from '@playwright/test';
import { startServerProcess } from '../server/testing/server-process.ts';
import { ADMIN, signInAs } from './fixtures.ts';

const root = path.resolve(import.meta.dirname, '..');

export interface OwnServerOptions<T> {
  /** Its folder, .test-results/e2e-<name>, is emptied first. */
  name: string;
  /** Writes the server's plugins into its (empty) plugins folder before it starts; returns what the tests need of them. */
  writePlugins: (pluginsDir: string) => T;
  /** Settings on top of the data folder, config, plugins folder and admin every such server has. */
  env?: Record<string, string>;
  /** How long the server may take to start (many plugins take long on a loaded machine). */
  timeout: number;
}

/**
 * Playwright's `test` for a spec whose plugins no other spec may see: a server of its own per worker, prepared as the
 * shared e2e servers are (e2e/prepare-server.ts), with `baseURL` on it and `page` signed in as the admin.
 * `ownServer.plugins` is what `writePlugins` returned.
 */
export function testOnOwnServer<T>(options: OwnServerOptions<T>) {
  return base.extend<{ page: Page }, { ownServer: { url: string; plugins: T } }>({
    ownServer: [
      async ({}, use) => {
        const dir = path.join(root, '.test-results', `e2e-${options.name}`);
        execFileSync(process.execPath, ['e2e/prepare-server.ts', dir], { cwd: root });
        const pluginsDir = path.join(dir, 'plugins');
        mkdirSync(pluginsDir, { recursive: true });
        const plugins = options.writePlugins(pluginsDir);
        const server = await startServerProcess({
          env: {
            PLUGINS_DIRECTORY: pluginsDir,
            WORKBENCH_CONFIG: path.join(dir, 'workbench.config.json'),
            WORKBENCH_DATA_DIR: path.join(dir, 'data'),
            WORKBENCH_ADMIN_USERNAME: ADMIN.username,
            WORKBENCH_ADMIN_PASSWORD: ADMIN.password,
            ...options.env,
          },
          readyTimeoutMs: options.timeout,
        });
        await use({ url: server.url, plugins });
        await server.stop();
      },
      { scope: 'worker', timeout: options.timeout + 10_000 },
    ],
    baseURL: async ({ ownServer }, use) => use(ownServer.url),
    page: async ({ page }, use) => {
      await signInAs(page, ADMIN.username, ADMIN.password);
      await use(page);
    },
  });
}
