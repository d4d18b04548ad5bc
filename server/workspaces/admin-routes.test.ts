import { cpSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { testManifest } from '../../shared/testing/manifests.ts';
import { createCatalogFeature } from '../catalog/feature.ts';
import { startTestApp, type TestApp } from '../testing/test-app.ts';

const jaffleShopTarget = path.resolve(import.meta.dirname, '../../demo/workspaces/jaffle-shop/target');

let app: TestApp | undefined;
afterEach(async () => {
  await app?.close();
  app = undefined;
});

async function start(): Promise<TestApp> {
  app = await startTestApp({ workspaces: [{ name: 'default' }], features: [createCatalogFeature()] });
  return app;
}

/** A copy of the demo's jaffle shop artifacts in a new project folder under the test's dir. */
function jaffleShopCopy(t: TestApp, name: string): string {
  const folder = path.join(t.dir, 'projects', name);
  cpSync(jaffleShopTarget, path.join(folder, 'target'), { recursive: true });
  return folder;
}

const call = (
  t: TestApp,
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE',
  url: string,
  payload?: object,
  cookie = t.adminCookie,
) => t.server.inject({ method, url, headers: { cookie }, ...(payload === undefined ? {} : { payload }) });

describe('workspaces managed in the app', () => {
  test('an admin adds a workspace: its models load at once, the admin reaches it, a member sees it, it survives a restart', async () => {
    const t = await start();
    const folder = jaffleShopCopy(t, 'shop');
    const added = await call(t, 'POST', '/api/workspaces', { name: 'shop', title: 'The shop', projectDir: folder });
    expect(added.statusCode).toBe(201);
    expect(added.json()).toMatchObject({
      name: 'shop',
      title: 'The shop',
      projectDir: folder,
      source: 'app',
      hasManifest: true,
    });

    const models = await call(t, 'GET', '/api/workspaces/shop/models');
    expect(models.statusCode).toBe(200);
    expect(models.json().total).toBeGreaterThan(5);
    const me = (await call(t, 'GET', '/api/auth/me')).json();
    expect(me.workspaces).toContainEqual({ name: 'shop', title: 'The shop', role: 'admin' });

    const viewer = await t.userWithRoles('vera', { shop: 'viewer' });
    expect((await call(t, 'GET', '/api/auth/me', undefined, viewer)).json().workspaces).toEqual([
      { name: 'shop', title: 'The shop', role: 'viewer' },
    ]);
    const audit = (await call(t, 'GET', '/api/audit')).json();
    expect(JSON.stringify(audit)).toContain('workspace.add');

    // The database keeps it: a new app on the same data dir and workspaces file lists it.
    await t.server.close();
    const again = await startTestApp({
      workspaces: [{ name: 'default' }],
      prepare: (dir) => cpSync(path.join(t.dir, 'data'), path.join(dir, 'data'), { recursive: true }),
    });
    try {
      const list = (await call(again, 'GET', '/api/workspaces')).json().workspaces;
      expect(list.map((w: { name: string }) => w.name)).toEqual(['default', 'shop']);
    } finally {
      await again.close();
    }
  });

  test('plugins follow: one enabled by default is enabled in a new workspace and leaves with it', async () => {
    app = await startTestApp({
      prepare(dir) {
        mkdirSync(path.join(dir, 'plugins', 'everywhere'), { recursive: true });
        writeFileSync(
          path.join(dir, 'plugins', 'everywhere', 'manifest.json'),
          JSON.stringify(testManifest('everywhere')),
        );
      },
    });
    const t = app;
    const enabledIn = async () =>
      (await call(t, 'GET', '/api/plugins/everywhere')).json().enabledWorkspaces as string[];
    expect(await enabledIn()).toEqual(['default']);
    await call(t, 'POST', '/api/workspaces', { name: 'shop', projectDir: jaffleShopCopy(t, 'shop') });
    expect(await enabledIn()).toEqual(['default', 'shop']);
    await call(t, 'DELETE', '/api/workspaces/shop');
    expect(await enabledIn()).toEqual(['default']);
  });

  test("a new workspace's artifacts join the folders no plugin may be granted", async () => {
    const fixture = path.resolve(import.meta.dirname, '../../e2e/fixtures/backend-plugins/grants-workspace');
    app = await startTestApp({
      prepare(dir) {
        const folder = path.join(dir, 'plugins', 'grabs-target');
        cpSync(fixture, folder, { recursive: true });
        const manifest = JSON.parse(readFileSync(path.join(folder, 'manifest.json'), 'utf8'));
        writeFileSync(
          path.join(folder, 'manifest.json'),
          JSON.stringify({ ...manifest, name: 'grabs-target', permissions: { fs: ['../../projects/shop/target'] } }),
        );
      },
    });
    const t = app;
    const plugin = async () => (await call(t, 'GET', '/api/plugins/grabs-target')).json();
    expect((await plugin()).state).not.toBe('invalid');
    await call(t, 'POST', '/api/workspaces', { name: 'shop', projectDir: jaffleShopCopy(t, 'shop') });
    const after = await plugin();
    expect(after.state).toBe('invalid');
    expect(after.reason).toMatch(/permissions.fs .* is refused: it is .*, the artifacts of workspace "shop"/);
  });

  test('a folder that is not a dbt project is refused with a message naming the problem, and nothing changes', async () => {
    const t = await start();
    const empty = path.join(t.dir, 'empty');
    mkdirSync(empty);
    writeFileSync(path.join(t.dir, 'file.txt'), 'x');
    const cases: [object, string][] = [
      [
        { name: 'a', projectDir: empty },
        'is not a dbt project: it holds neither dbt_project.yml nor target/manifest.json',
      ],
      [{ name: 'a', projectDir: path.join(t.dir, 'missing') }, 'There is no folder'],
      [{ name: 'a', projectDir: path.join(t.dir, 'file.txt') }, 'is a file, not a folder'],
      [{ name: 'a', projectDir: 'relative/folder' }, 'must be an absolute path'],
      [{ name: 'a', projectDir: path.join(t.dir, 'data') }, "overlaps the app's data folder"],
      [{ name: 'Bad Name', projectDir: empty }, 'lowercase letters, digits and single dashes'],
      [{ name: 'default', projectDir: empty }, 'A workspace named "default" exists already'],
    ];
    for (const [body, message] of cases) {
      const response = await call(t, 'POST', '/api/workspaces', body);
      expect(response.statusCode, JSON.stringify(body)).toBeGreaterThanOrEqual(400);
      expect(response.json().error.message).toContain(message);
    }
    expect((await call(t, 'GET', '/api/workspaces')).json().workspaces.map((w: { name: string }) => w.name)).toEqual([
      'default',
    ]);
  });

  test('renaming and re-pointing a workspace from the file: the app copy wins, the new artifacts load', async () => {
    const t = await start();
    expect((await call(t, 'GET', '/api/workspaces/default/models')).json().total).toBe(0);
    const folder = jaffleShopCopy(t, 'elsewhere');
    const changed = await call(t, 'PATCH', '/api/workspaces/default', { title: 'Renamed', projectDir: folder });
    expect(changed.statusCode).toBe(200);
    expect(changed.json()).toMatchObject({ title: 'Renamed', projectDir: folder, source: 'file-changed-in-app' });
    expect((await call(t, 'GET', '/api/workspaces/default/models')).json().total).toBeGreaterThan(5);
    const refused = await call(t, 'PATCH', '/api/workspaces/default', { projectDir: path.join(t.dir, 'nope') });
    expect(refused.statusCode).toBe(400);
    expect((await call(t, 'GET', '/api/workspaces')).json().workspaces[0].projectDir).toBe(folder);
  });

  test('removing a workspace keeps its folder, ends memberships, and it stays removed after a restart', async () => {
    const t = await start();
    const folder = jaffleShopCopy(t, 'shop');
    await call(t, 'POST', '/api/workspaces', { name: 'shop', projectDir: folder });
    const member = await t.userWithRoles('mo', { shop: 'developer', default: 'viewer' });
    const removed = await call(t, 'DELETE', '/api/workspaces/shop');
    expect(removed.statusCode).toBe(200);
    expect(removed.json().message).toContain(`its dbt project folder ${folder} is left on disk`);
    expect(existsSync(path.join(folder, 'target', 'manifest.json'))).toBe(true);
    expect((await call(t, 'GET', '/api/workspaces/shop/models', undefined, member)).statusCode).toBe(404);
    expect((await call(t, 'GET', '/api/workspaces/shop/models')).statusCode).toBe(404);
    expect((await call(t, 'GET', '/api/audit')).body).toContain('workspace.remove');
  });

  test('the only workspace cannot be removed, and a removed file workspace does not come back at restart', async () => {
    app = await startTestApp({ workspaces: [{ name: 'one' }, { name: 'two' }] });
    const t = app;
    expect((await call(t, 'DELETE', '/api/workspaces/two')).statusCode).toBe(200);
    const only = await call(t, 'DELETE', '/api/workspaces/one');
    expect(only.statusCode).toBe(409);
    expect(only.json().error.message).toContain('"one" is the only workspace');
    await t.server.close();
    const again = await startTestApp({
      workspaces: [{ name: 'one' }, { name: 'two' }],
      prepare: (dir) => cpSync(path.join(t.dir, 'data'), path.join(dir, 'data'), { recursive: true }),
    });
    try {
      const list = (await call(again, 'GET', '/api/workspaces')).json().workspaces;
      expect(list.map((w: { name: string }) => w.name)).toEqual(['one']);
    } finally {
      await again.close();
    }
  });

  test('only instance admins manage workspaces; a workspace admin gets 403', async () => {
    const t = await start();
    const wsAdmin = await t.userWithRoles('wanda', { default: 'admin' });
    for (const [method, url] of [
      ['GET', '/api/workspaces'],
      ['POST', '/api/workspaces'],
      ['PATCH', '/api/workspaces/default'],
      ['DELETE', '/api/workspaces/default'],
    ] as const) {
      const response = await call(t, method, url, method === 'GET' || method === 'DELETE' ? undefined : {}, wsAdmin);
      expect(response.statusCode, `${method} ${url}`).toBe(403);
    }
  });
});
