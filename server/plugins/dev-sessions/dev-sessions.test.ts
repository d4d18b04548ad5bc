import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
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

async function started(env: Record<string, string> = {}): Promise<{ a: TestApp; token: string }> {
  const a = await startTestApp({
    env: { SHELL_DIST_DIR: 'shell', ISOLATION_DIST_DIR: 'isolation', ...env },
    prepare: (dir) => {
      writeWidgetPlugin(dir, 'notes', { manifest: { capabilities: ['read-metadata'] } });
      for (const folder of ['shell', 'isolation']) {
        mkdirSync(path.join(dir, folder), { recursive: true });
        writeFileSync(path.join(dir, folder, 'index.html'), `<!doctype html><title>${folder}</title>`);
      }
    },
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
  expect(mine[0]!.remote!.dev).toEqual({ origin: 'http://127.0.0.1:4999' });
  expect(mine[0]!.remote!.pin).toBeUndefined();
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

  // Start and end are audited, named as the token acting (rebuilds, many a minute, are not).
  const audit = await a.server.inject({ url: '/api/audit?target=notes', headers: { cookie: a.adminCookie } });
  const entries = (audit.json() as { entries: { actorName: string | null; action: string; details: unknown }[] })
    .entries;
  expect(entries.filter((e) => e.action.startsWith('plugin.dev-session')).map((e) => [e.actorName, e.action])).toEqual([
    ['token:notes dev', 'plugin.dev-session.end'],
    ['token:notes dev', 'plugin.dev-session.start'],
  ]);
  expect(entries.find((e) => e.action === 'plugin.dev-session.start')!.details).toEqual({
    version: '1.1.0-dev',
    origin: 'http://127.0.0.1:4999',
  });
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

/** The shell document as a browser asks for it; `headers` may carry an attacker's attempts. */
async function shellDocument(a: TestApp, cookie: string | undefined, url = '/', headers: Record<string, string> = {}) {
  const response = await a.server.inject({
    url,
    headers: { accept: 'text/html', ...(cookie ? { cookie } : {}), ...headers },
  });
  expect(response.statusCode).toBe(200);
  return response;
}

const directive = (csp: string, name: string) =>
  csp
    .split(';')
    .map((d) => d.trim())
    .find((d) => d.startsWith(`${name} `)) ?? '';

test("the developer's own documents admit the dev origin, nobody else's change by a byte, and it ends with the session", async () => {
  const { a, token } = await started();
  const otherAdmin = await a.userWithRoles('other-admin', { default: 'admin' }, true);
  const csp = (response: { headers: Record<string, unknown> }) => String(response.headers['content-security-policy']);
  const before = {
    mine: await shellDocument(a, a.adminCookie),
    theirs: await shellDocument(a, otherAdmin),
    anonymous: await shellDocument(a, undefined),
  };
  expect(csp(before.mine)).not.toContain('127.0.0.1:4999');

  expect((await devSession(a, token, 'PUT', { manifest: devManifest(), entry: devEntry })).statusCode).toBe(200);
  const mine = await shellDocument(a, a.adminCookie, '/', { 'if-none-match': String(before.mine.headers.etag) });
  for (const name of ['script-src', 'connect-src', 'style-src', 'img-src', 'font-src'])
    expect(directive(csp(mine), name)).toContain(' http://127.0.0.1:4999');
  expect(directive(csp(mine), 'frame-src')).not.toContain('4999');
  expect(csp(mine).replaceAll(' http://127.0.0.1:4999', '')).toBe(csp(before.mine));
  // Never stored, so no copy outlives the session; the old copy was not revalidated as still good.
  expect(mine.headers['cache-control']).toBe('private, no-store');
  expect(mine.headers.etag).toBeUndefined();
  // A page deep in the app is the same document.
  expect(csp(await shellDocument(a, a.adminCookie, '/workspaces/default/models'))).toBe(csp(mine));

  // Everyone else: byte for byte what they had, whatever they put in the URL or the headers.
  const attempts: [string, Record<string, string>][] = [
    ['/', {}],
    ['/?dev=http://127.0.0.1:4999&devOrigin=http://127.0.0.1:4999', {}],
    ['/', { 'x-dev-origin': 'http://127.0.0.1:4999', origin: 'http://127.0.0.1:4999', referer: devEntry }],
  ];
  for (const [url, headers] of attempts) {
    const theirs = await shellDocument(a, otherAdmin, url, headers);
    expect(csp(theirs)).toBe(csp(before.theirs));
    expect(theirs.headers['cache-control']).toBe(before.theirs.headers['cache-control']);
    expect(csp(await shellDocument(a, undefined, url, headers))).toBe(csp(before.anonymous));
  }

  expect((await devSession(a, token, 'DELETE')).statusCode).toBe(204);
  const after = await shellDocument(a, a.adminCookie);
  expect(csp(after)).toBe(csp(before.mine));
  expect(after.headers['cache-control']).toBe('no-cache');
});

test("the dev build's isolated frame is served at its session's revision only, admitting the dev server alone", async () => {
  const { a, token } = await started();
  const frame = (revision: string) =>
    a.server.inject({ url: `/plugin-frames/notes/${revision}/`, headers: { host: 'notes.localhost:8080' } });
  const approvedRevision = a.plugins.get('notes')!.revision;
  const approvedCsp = String((await frame(approvedRevision)).headers['content-security-policy']);

  const started1 = (await devSession(a, token, 'PUT', { manifest: devManifest(), entry: devEntry })).json();
  const dev = await frame(started1.revision);
  expect(dev.statusCode).toBe(200);
  expect(dev.headers['cache-control']).toBe('no-store');
  const csp = String(dev.headers['content-security-policy']);
  expect(directive(csp, 'script-src')).toBe('script-src http://notes.localhost:8080/isolation/ http://127.0.0.1:4999/');
  expect(directive(csp, 'connect-src')).toBe('connect-src http://127.0.0.1:4999/');
  // The approved frame is untouched, and neither URL serves the other's build.
  expect(String((await frame(approvedRevision)).headers['content-security-policy'])).toBe(approvedCsp);
  expect(approvedCsp).not.toContain('4999');

  // A rebuild moves the frame to a new revision (a new document, never a cached one); a guess gets nothing.
  const rebuilt = await devSession(a, token, 'POST', { entry: 'http://127.0.0.1:4999/b2/mf-manifest.json' }, '/builds');
  expect(rebuilt.statusCode).toBe(200);
  expect((await frame(started1.revision)).statusCode).toBe(404);
  const second = await frame(rebuilt.json().revision);
  expect(directive(String(second.headers['content-security-policy']), 'connect-src')).toBe(
    'connect-src http://127.0.0.1:4999/b2/',
  );
  expect((await frame('dev-AAAAAAAAAAAAAAAAAAAAAA')).statusCode).toBe(404);

  // A rebuild may not move to another origin: the developer's open page admits the session's origin only.
  const moved = await devSession(a, token, 'POST', { entry: 'http://evil.example/mf-manifest.json' }, '/builds');
  expect(moved.statusCode).toBe(400);
  expect(moved.json().error.message).toContain("stay on the dev session's origin http://127.0.0.1:4999");

  expect((await devSession(a, token, 'DELETE')).statusCode).toBe(204);
  expect((await frame(rebuilt.json().revision)).statusCode).toBe(404);
});

test('a session lives on heartbeats, and without them ends by itself (SQLite, one server)', async () => {
  const { a, token } = await started({ PLUGIN_DEV_SESSION_TTL_S: '1' });
  const start = await devSession(a, token, 'PUT', { manifest: devManifest(), entry: devEntry });
  expect(start.statusCode).toBe(200);
  expect(start.json()).toMatchObject({ heartbeatSeconds: 1 });
  const isDev = async () => (await extensions(a, a.adminCookie))[0]!.pluginVersion === '1.1.0-dev';
  for (let beat = 0; beat < 4; beat++) {
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect((await devSession(a, token, 'POST', undefined, '/heartbeat')).statusCode).toBe(200);
  }
  expect(await isDev()).toBe(true);

  await new Promise((resolve) => setTimeout(resolve, 1_600));
  expect(await isDev()).toBe(false);
  const late = await devSession(a, token, 'POST', undefined, '/heartbeat');
  expect(late.statusCode).toBe(404);
  expect(late.json().error.message).toContain('it ended (no heartbeat for 1 s');
  // The sweep removed it: nothing is left to end.
  expect((await devSession(a, token, 'DELETE')).statusCode).toBe(404);
  const audit = await a.server.inject({ url: '/api/audit?target=notes', headers: { cookie: a.adminCookie } });
  const entries = (audit.json() as { entries: { actorName: string | null; action: string; details: unknown }[] })
    .entries;
  expect(entries[0]).toMatchObject({
    actorName: null,
    action: 'plugin.dev-session.end',
    details: { reason: 'no heartbeat for 1 s' },
  });
});
