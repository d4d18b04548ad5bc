import { afterEach, expect, test } from 'vitest';
import type { CreatedApiToken } from '../../../shared/api-tokens.schema.ts';
import type { WorkspaceExtensions } from '../../../shared/api.schema.ts';
import { testManifest } from '../../../shared/testing/manifests.ts';
import { approve } from '../../sandbox/testing.ts';
import { startTestApp, type TestApp } from '../../testing/test-app.ts';
import { writeWidgetPlugin } from '../../testing/widget-plugin.ts';

// A plugin team's dev build (`workbench-plugin dev --server`) through the public API: an API token of scope
// plugins:dev acts for the admin who made it, and only that admin's shells get the dev build.

let app: TestApp | undefined;
afterEach(async () => {
  await app?.close();
  app = undefined;
});

const devEntry = 'http://127.0.0.1:4999/mf-manifest.json';
const devManifest = (extra: object = {}) =>
  testManifest('notes', {
    version: '1.1.0-dev',
    capabilities: ['read-metadata'],
    frontend: {
      remote: 'mf-manifest.json',
      contributions: [
        { slot: 'dashboard.widget', id: 'w', module: './Widget' },
        { slot: 'dashboard.widget', id: 'new-in-dev', module: './Widget' },
      ],
    },
    ...extra,
  });

async function started(): Promise<{ a: TestApp; token: string }> {
  const a = await startTestApp({
    prepare: (dir) => writeWidgetPlugin(dir, 'notes', { manifest: { capabilities: ['read-metadata'] } }),
  });
  app = a;
  await approve(a, 'notes');
  const made = await a.server.inject({
    method: 'POST',
    url: '/api/tokens',
    headers: { cookie: a.adminCookie },
    payload: { name: 'notes dev', scopes: ['plugins:dev'] },
  });
  expect(made.statusCode).toBe(201);
  return { a, token: (made.json() as CreatedApiToken).token };
}

function devSession(a: TestApp, token: string, method: 'PUT' | 'POST' | 'DELETE', body?: object, path = '') {
  return a.server.inject({
    method,
    url: `/api/plugins/notes/dev-session${path}`,
    headers: { authorization: `Bearer ${token}` },
    ...(body ? { payload: body } : {}),
  });
}

async function extensions(a: TestApp, cookie: string) {
  const response = await a.server.inject({ url: '/api/workspaces/default/extensions', headers: { cookie } });
  expect(response.statusCode).toBe(200);
  return (response.json() as WorkspaceExtensions).extensions;
}

test("the token's admin sees the dev build and each rebuild; another admin and a viewer see the approved version", async () => {
  const { a, token } = await started();
  const otherAdmin = await a.userWithRoles('other-admin', { default: 'admin' }, true);
  const viewer = await a.userWithRoles('viewer', { default: 'viewer' });
  const approved = await extensions(a, otherAdmin);

  const start = await devSession(a, token, 'PUT', { manifest: devManifest(), entry: devEntry });
  expect(start.statusCode).toBe(200);
  const first = start.json() as { revision: string; entry: string };
  expect(first.entry).toBe(devEntry);

  const mine = await extensions(a, a.adminCookie);
  expect(mine.map((e) => e.id)).toEqual(['w', 'new-in-dev']);
  expect(mine[0]).toMatchObject({ pluginVersion: '1.1.0-dev', remote: { entry: devEntry, revision: first.revision } });
  for (const cookie of [otherAdmin, viewer]) {
    const theirs = await extensions(a, cookie);
    expect(theirs).toEqual(approved);
    expect(JSON.stringify(theirs)).not.toContain('4999');
  }

  const rebuilt = await devSession(a, token, 'POST', undefined, '/builds');
  expect(rebuilt.statusCode).toBe(200);
  const second = (rebuilt.json() as { revision: string }).revision;
  expect(second).not.toBe(first.revision);
  expect((await extensions(a, a.adminCookie))[0]!.remote!.revision).toBe(second);

  expect((await devSession(a, token, 'DELETE')).statusCode).toBe(204);
  expect(await extensions(a, a.adminCookie)).toEqual(approved);
});

test('a dev build asking for an unapproved capability, an invalid manifest or an unknown plugin is refused with why', async () => {
  const { a, token } = await started();
  const refused = async (body: object, status: number, words: string) => {
    const response = await devSession(a, token, 'PUT', body);
    expect(response.statusCode).toBe(status);
    expect(response.json().error.message).toContain(words);
  };
  await refused(
    { manifest: devManifest({ capabilities: ['read-metadata', 'access-sql-workspace'] }), entry: devEntry },
    409,
    'not approved for "notes": access-sql-workspace',
  );
  await refused({ manifest: devManifest({ version: 'soon' }), entry: devEntry }, 409, 'version');
  await refused({ manifest: devManifest({ name: 'other' }), entry: devEntry }, 409, 'is for "other"');
  await refused({ manifest: devManifest(), entry: 'file:///etc/passwd' }, 400, 'entry');
  const unknown = await a.server.inject({
    method: 'PUT',
    url: '/api/plugins/ghost/dev-session',
    headers: { authorization: `Bearer ${token}` },
    payload: { manifest: devManifest({ name: 'ghost' }), entry: devEntry },
  });
  expect(unknown.statusCode).toBe(404);
  expect((await extensions(a, a.adminCookie)).every((e) => e.pluginVersion === '1.0.0')).toBe(true);
});

test('a plugins:dev token reaches nothing else, and a deploy token cannot start a dev session', async () => {
  const { a, token } = await started();
  const list = await a.server.inject({ url: '/api/plugins', headers: { authorization: `Bearer ${token}` } });
  expect(list.statusCode).toBe(403);
  expect(list.json().error.code).toBe('token_scope');
  const deploy = await a.server.inject({
    method: 'POST',
    url: '/api/tokens',
    headers: { cookie: a.adminCookie },
    payload: { name: 'ci', scopes: ['plugins:deploy'] },
  });
  const refused = await devSession(a, (deploy.json() as CreatedApiToken).token, 'PUT', {
    manifest: devManifest(),
    entry: devEntry,
  });
  expect(refused.statusCode).toBe(403);
});
