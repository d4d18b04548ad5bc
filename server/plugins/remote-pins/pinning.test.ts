import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, expect, test } from 'vitest';
import type { WorkspaceExtensions } from '../../../shared/api.schema.ts';
import { testManifest } from '../../../shared/testing/manifests.ts';
import { startTestApp, type TestApp } from '../../testing/test-app.ts';
import { sriOf } from './fetch-remote.ts';
import { checkPinnedRemotes } from './pinning.ts';
import { remoteFiles, serveRemote } from './testing.ts';

let app: TestApp | undefined;
let remote: Awaited<ReturnType<typeof serveRemote>> | undefined;
afterEach(async () => {
  await app?.close();
  await remote?.close();
  app = remote = undefined;
});

const widget = { slot: 'dashboard.widget', id: 'cdn', module: './Widget' };

/** An app whose plugin `cdn-widget` loads its frontend from `remoteUrl`, a team's own origin. */
async function appWithRemote(remoteUrl: string, env: Record<string, string> = {}): Promise<TestApp> {
  return startTestApp({
    env,
    prepare(dir) {
      mkdirSync(path.join(dir, 'plugins', 'cdn-widget'), { recursive: true });
      const manifest = testManifest('cdn-widget', { frontend: { remote: remoteUrl, contributions: [widget] } });
      writeFileSync(path.join(dir, 'plugins', 'cdn-widget', 'manifest.json'), JSON.stringify(manifest));
    },
  });
}

async function plugin(a: TestApp) {
  const response = await a.server.inject({ url: '/api/plugins/cdn-widget', headers: { cookie: a.adminCookie } });
  return response.json() as { state: string; reason?: string; access: { key: string; approved: boolean }[] };
}

async function extensions(a: TestApp) {
  const response = await a.server.inject({
    url: '/api/workspaces/default/extensions',
    headers: { cookie: a.adminCookie },
  });
  return (response.json() as WorkspaceExtensions).extensions;
}

const approve = (a: TestApp) =>
  a.server.inject({
    method: 'POST',
    url: '/api/plugins/cdn-widget/approve',
    headers: { cookie: a.adminCookie },
    payload: { version: '1.0.0' },
  });

test('an absolute remote runs only once approved, pinned; a changed chunk withholds it until approved again', async () => {
  const files = remoteFiles();
  remote = await serveRemote(files);
  const url = `${remote.origin}/v1/mf-manifest.json`;
  app = await appWithRemote(url);

  expect(await plugin(app)).toMatchObject({ state: 'pending-approval', reason: expect.stringContaining(url) });
  expect(await extensions(app)).toEqual([]);

  expect((await approve(app)).statusCode).toBe(200);
  expect((await plugin(app)).state).toBe('active');
  const [extension] = await extensions(app);
  const chunk = `${remote.origin}/v1/__federation_expose_Widget.js`;
  expect(extension?.remote?.pin?.integrity).toEqual({
    [`${remote.origin}/v1/remoteEntry.js`]: sriOf(Buffer.from(files.get('/v1/remoteEntry.js')!)),
    [chunk]: sriOf(Buffer.from(files.get('/v1/__federation_expose_Widget.js')!)),
  });

  // The team (or whoever holds its CDN) swaps a chunk under the same name.
  expect(await checkPinnedRemotes({ db: app.context.db, registry: app.plugins, logger: app.context.logger })).toEqual(
    [],
  );
  files.set('/v1/__federation_expose_Widget.js', 'steal(document.cookie);');
  expect(await checkPinnedRemotes({ db: app.context.db, registry: app.plugins, logger: app.context.logger })).toEqual([
    'cdn-widget',
  ]);
  const held = await plugin(app);
  expect(held.state).toBe('pending-approval');
  expect(held.access).toEqual([expect.objectContaining({ key: `remote:${url}`, approved: false })]);
  expect(held.reason).toMatch(
    new RegExp(
      `its remote ${url.replace(/[.?]/g, '\\$&')} changed since approval \\(\\d{4}-.+\\): __federation_expose_Widget\\.js changed`,
    ),
  );
  expect(await extensions(app)).toEqual([]);
  const audit = await app.server.inject({ url: '/api/audit', headers: { cookie: app.adminCookie } });
  expect(audit.body).toContain('plugin.remote-changed');

  // Approving again pins what it serves now.
  expect((await approve(app)).statusCode).toBe(200);
  expect((await plugin(app)).state).toBe('active');
  expect((await extensions(app))[0]?.remote?.pin?.integrity[chunk]).toBe(sriOf(Buffer.from('steal(document.cookie);')));
});

test('an approval whose remote cannot be read is refused with 502 and approves nothing', async () => {
  remote = await serveRemote(remoteFiles());
  const url = `${remote.origin}/v1/mf-manifest.json`;
  app = await appWithRemote(url);
  await remote.close();
  remote = undefined;
  const response = await approve(app);
  expect(response.statusCode).toBe(502);
  expect(response.json()).toMatchObject({
    error: { code: 'remote_unreachable', message: expect.stringContaining('cannot be reached') },
  });
  expect((await plugin(app)).state).toBe('pending-approval');
  const approvals = await app.context.db.all('SELECT * FROM plugin_approvals');
  expect(approvals).toEqual([]);
});

test('PLUGIN_REMOTE_CHECK_INTERVAL_S: the periodic check finds a changed remote on its own', async () => {
  const files = remoteFiles();
  remote = await serveRemote(files);
  app = await appWithRemote(`${remote.origin}/v1/mf-manifest.json`, { PLUGIN_REMOTE_CHECK_INTERVAL_S: '0.1' });
  expect((await approve(app)).statusCode).toBe(200);
  expect((await plugin(app)).state).toBe('active');
  files.set('/v1/mf-manifest.json', files.get('/v1/mf-manifest.json')!.replace('Widget', 'Widget2'));
  await expect
    .poll(async () => (await plugin(app!)).reason ?? '', { timeout: 5000 })
    .toContain('changed since approval');
});

test('an update that keeps its approved remote URL runs at once, with what the URL serves now pinned for the new version', async () => {
  const files = remoteFiles();
  remote = await serveRemote(files);
  const url = `${remote.origin}/v1/mf-manifest.json`;
  app = await appWithRemote(url);
  expect((await approve(app)).statusCode).toBe(200);

  const next = path.join(app.dir, 'next', 'cdn-widget');
  mkdirSync(next, { recursive: true });
  const manifest = testManifest('cdn-widget', { version: '1.0.1', frontend: { remote: url, contributions: [widget] } });
  writeFileSync(path.join(next, 'manifest.json'), JSON.stringify(manifest));
  files.set('/v1/__federation_expose_Widget.js', 'export default "widget 1.0.1";');
  const updated = await app.server.inject({
    method: 'POST',
    url: '/api/plugins/cdn-widget/update',
    headers: { cookie: app.adminCookie },
    payload: { path: next },
  });
  expect(updated.statusCode, updated.body).toBe(200);
  expect(await plugin(app)).toMatchObject({ state: 'active' });
  const [extension] = await extensions(app);
  expect(extension?.pluginVersion).toBe('1.0.1');
  expect(extension?.remote?.pin?.integrity[`${remote.origin}/v1/__federation_expose_Widget.js`]).toBe(
    sriOf(Buffer.from('export default "widget 1.0.1";')),
  );
});
