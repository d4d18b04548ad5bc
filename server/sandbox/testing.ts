import { chmodSync, cpSync } from 'node:fs';
import path from 'node:path';
import type { TestApp } from '../testing/test-app.ts';

/** Hostile and example plugin backends used by the sandbox tests. */
export const BACKEND_FIXTURES = path.resolve(import.meta.dirname, '../../e2e/fixtures/backend-plugins');

/**
 * A `prepare` for `startTestApp` that copies fixtures into `<dir>/plugins/`. It opens the temp dir to other users
 * (0755), as a real install is, so backends can run under their own user id.
 */
export function withFixtures(...names: string[]): (dir: string) => void {
  return (dir) => {
    chmodSync(dir, 0o755);
    for (const name of names)
      cpSync(path.join(BACKEND_FIXTURES, name), path.join(dir, 'plugins', name), { recursive: true });
  };
}

/** Approves a plugin's declared capabilities through the admin API, as an admin would. */
export async function approve(app: TestApp, name: string): Promise<void> {
  const detail = await app.server.inject({ url: `/api/plugins/${name}`, headers: { cookie: app.adminCookie } });
  const version = (detail.json() as { version?: string }).version;
  const response = await app.server.inject({
    method: 'POST',
    url: `/api/plugins/${name}/approve`,
    headers: { cookie: app.adminCookie },
    payload: { version },
  });
  if (response.statusCode !== 200) throw new Error(`approving ${name} failed: ${response.statusCode} ${response.body}`);
}

/** Polls `check` until it returns a value other than undefined, or fails with `what` after `ms`. */
export async function eventually<T>(
  what: string,
  check: () => Promise<T | undefined> | T | undefined,
  ms = 10_000,
): Promise<T> {
  const until = Date.now() + ms;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** Calls a plugin route as `cookie` in `workspace`. */
export function callExt(
  app: TestApp,
  url: string,
  options: { cookie?: string; workspace?: string; method?: 'GET' | 'POST' | 'PUT' | 'DELETE'; payload?: unknown } = {},
) {
  return app.server.inject({
    method: options.method ?? 'GET',
    url,
    headers: {
      cookie: options.cookie ?? app.adminCookie,
      ...(options.workspace === '' ? {} : { 'x-workbench-workspace': options.workspace ?? 'default' }),
    },
    ...(options.payload === undefined ? {} : { payload: options.payload as object }),
  });
}

/** The plugin's diagnostics, as an instance admin reads them. */
export async function diagnosticsOf(app: TestApp, name: string) {
  const response = await app.server.inject({
    url: `/api/plugins/${name}/diagnostics`,
    headers: { cookie: app.adminCookie },
  });
  return response.json() as import('@dbt-workbench/plugin-sdk/contracts/sandbox.schema').PluginDiagnostics;
}
