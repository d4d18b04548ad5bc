import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pino } from 'pino';
import type { WorkspaceRole } from '@dbt-workbench/plugin-sdk/contracts/roles';
import { buildApp, type App, type BuildOptions } from '../app.ts';
import { loadSettings } from '../settings.ts';
import { testDatabaseUrl } from './postgres.ts';
import { writeWorkspacesFile, type TestWorkspace } from './workspaces-file.ts';

export const TEST_ADMIN = { username: 'admin', password: 'admin-password-for-tests' };

export interface TestAppOptions {
  /** Environment for loadSettings; paths resolve against the temp dir. */
  env?: Record<string, string>;
  workspaces?: TestWorkspace[];
  features?: BuildOptions['features'];
  /** Runs before the app starts, to write plugins, artifacts and other files into the temp dir. */
  prepare?: (dir: string) => void;
}

export interface TestApp extends App {
  /** The temp dir holding the config, data, workspaces and plugins of this app. */
  dir: string;
  /** A `cookie` header value for the first instance admin. */
  adminCookie: string;
  /** Signs in and returns the `cookie` header value of the new session. */
  login(username: string, password: string): Promise<string>;
  /** Creates a user through the API (as the admin) with these workspace roles and signs them in. */
  userWithRoles(username: string, roles: Record<string, WorkspaceRole>, isInstanceAdmin?: boolean): Promise<string>;
  close(): Promise<void>;
}

/**
 * A whole app on a temp dir: real SQLite file, real config file, real routes, a signed-in admin.
 * Tests talk to it through `server.inject`, as a browser would through HTTP.
 */
export async function startTestApp(options: TestAppOptions = {}): Promise<TestApp> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'wb-test-'));
  writeWorkspacesFile(dir, options.workspaces ?? [{ name: 'default' }]);
  mkdirSync(path.join(dir, 'plugins'), { recursive: true });
  options.prepare?.(dir);

  const databaseUrl = await testDatabaseUrl();
  const settings = loadSettings(
    {
      ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}),
      PLUGINS_DIRECTORY: 'plugins',
      SHELL_DIST_DIR: 'no-shell',
      WORKBENCH_DATA_DIR: 'data',
      WORKBENCH_ADMIN_USERNAME: TEST_ADMIN.username,
      WORKBENCH_ADMIN_PASSWORD: TEST_ADMIN.password,
      ...options.env,
    },
    dir,
  );
  const app = await buildApp(settings, pino({ level: 'silent' }), { features: options.features, print: () => {} });

  async function login(username: string, password: string): Promise<string> {
    const response = await app.server.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { username, password },
    });
    if (response.statusCode !== 200)
      throw new Error(`login as ${username} failed: ${response.statusCode} ${response.body}`);
    const cookie = response.cookies.find((c) => c.name === 'wb_session');
    if (!cookie) throw new Error('login set no session cookie');
    return `wb_session=${cookie.value}`;
  }

  const adminCookie = await login(TEST_ADMIN.username, TEST_ADMIN.password);

  return {
    ...app,
    dir,
    adminCookie,
    login,
    async userWithRoles(username, roles, isInstanceAdmin = false) {
      const password = `${username}-password-123`;
      const response = await app.server.inject({
        method: 'POST',
        url: '/api/users',
        headers: { cookie: adminCookie },
        payload: { username, password, roles, isInstanceAdmin },
      });
      if (response.statusCode !== 201)
        throw new Error(`creating ${username} failed: ${response.statusCode} ${response.body}`);
      return login(username, password);
    },
    async close() {
      await app.server.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
