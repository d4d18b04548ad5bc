import { chmodSync, cpSync } from 'node:fs';
import path from 'node:path';
import type { PluginLogPage } from '../../../shared/plugin-logs.schema.ts';
import { createSandboxFeature } from '../../sandbox/feature.ts';
import { approve, callExt, eventually } from '../../sandbox/testing.ts';
import { startTestApp, type TestApp } from '../../testing/test-app.ts';

/** The fixture plugin whose backend writes through host.log, stdout and stderr (the browser test uses it too). */
const LOG_WRITER = path.resolve(import.meta.dirname, '../../../e2e/fixtures/plugins/log-writer');

/** A `prepare` for `startTestApp` that installs the log-writer fixture, readable by the backend's own uid. */
export function withLogWriter(dir: string): void {
  chmodSync(dir, 0o755);
  cpSync(LOG_WRITER, path.join(dir, 'plugins', 'log-writer'), { recursive: true });
}

/** A page of a plugin's log as an instance admin reads it; fails on any status but 200. */
export async function logsOf(app: TestApp, plugin: string, query = ''): Promise<PluginLogPage> {
  const response = await app.server.inject({
    url: `/api/plugins/${plugin}/logs${query}`,
    headers: { cookie: app.adminCookie },
  });
  if (response.statusCode !== 200) throw new Error(`logs of ${plugin}: ${response.statusCode} ${response.body}`);
  return response.json();
}

/** An app with the sandbox and the log-writer fixture approved, its backend answering. */
export async function startWithLogWriter(env: Record<string, string> = {}): Promise<TestApp> {
  const app = await startTestApp({ env, features: [createSandboxFeature()], prepare: withLogWriter });
  await approve(app, 'log-writer');
  await eventually('the log-writer backend to answer', async () => {
    const r = await callExt(app, '/api/ext/log-writer/log', { method: 'POST', payload: { message: 'warming up' } });
    return r.statusCode === 200 ? true : undefined;
  });
  return app;
}
