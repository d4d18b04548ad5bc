import { cpSync } from 'node:fs';
import path from 'node:path';
import { copyArtifacts } from '../catalog/test-data.ts';
import { approve, eventually, withFixtures } from '../sandbox/testing.ts';
import { startTestApp, type TestApp } from '../testing/test-app.ts';

const EXAMPLE_PLUGINS = path.resolve(import.meta.dirname, '../../plugins');

/**
 * An app with workspaces `shop` (the classic artifacts) and `other`, every feature, and the example plugin
 * `model-stewards` plus the given backend fixtures installed, approved and running.
 */
export async function startToolsApp(fixtures: string[] = [], env: Record<string, string> = {}): Promise<TestApp> {
  const app = await startTestApp({
    workspaces: [{ name: 'shop' }, { name: 'other' }],
    env,
    prepare: (dir) => {
      copyArtifacts('classic', path.join(dir, 'workspaces/shop/target'));
      withFixtures(...fixtures)(dir);
      cpSync(path.join(EXAMPLE_PLUGINS, 'model-stewards'), path.join(dir, 'plugins/model-stewards'), {
        recursive: true,
        filter: (source) => !source.endsWith('.test.ts'),
      });
    },
  });
  for (const name of ['model-stewards', ...fixtures]) await approve(app, name);
  await eventually('the plugins to run', () =>
    ['model-stewards', ...fixtures].every((name) => app.plugins.get(name)?.state === 'active') ? true : undefined,
  );
  return app;
}

/** Calls a tool through the palette's route as `cookie`. */
export function callTool(app: TestApp, workspace: string, tool: string, args: unknown, cookie = app.adminCookie) {
  return app.server.inject({
    method: 'POST',
    url: `/api/workspaces/${workspace}/tools/${tool}/call`,
    headers: { cookie },
    payload: { arguments: args },
  });
}
