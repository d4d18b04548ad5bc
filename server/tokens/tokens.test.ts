import { afterEach, describe, expect, test } from 'vitest';
import type { ApiTokenList, CreatedApiToken } from '../../shared/api-tokens.schema.ts';
import { pluginZip } from '../plugins/installation/testing.ts';
import { startTestApp, type TestApp } from '../testing/test-app.ts';
import { scopeProblem } from './scopes.ts';

let app: TestApp | undefined;
afterEach(async () => {
  await app?.close();
  app = undefined;
});

async function start(): Promise<TestApp> {
  app = await startTestApp();
  return app;
}

async function makeToken(a: TestApp, body: object, cookie = a.adminCookie) {
  return a.server.inject({ method: 'POST', url: '/api/tokens', headers: { cookie }, payload: body });
}

/** A request as a CI job sends it: the token in Authorization, no cookie. */
function withToken(a: TestApp, token: string, method: 'GET' | 'POST' | 'DELETE', url: string, zip?: Buffer) {
  return a.server.inject({
    method,
    url,
    headers: { authorization: `Bearer ${token}`, ...(zip ? { 'content-type': 'application/zip' } : {}) },
    ...(zip ? { payload: zip } : {}),
  });
}

describe('the scope rule', () => {
  test('plugins:deploy opens install and update by zip and reading one plugin, nothing else', () => {
    const zip = 'application/zip';
    const ask = (method: string, pattern: string | undefined, contentType?: string) =>
      scopeProblem(['plugins:deploy'], { method, pattern, contentType });
    expect(ask('POST', '/api/plugins/install', zip)).toBeUndefined();
    expect(ask('POST', '/api/plugins/:name/update', `${zip}; charset=binary`)).toBeUndefined();
    expect(ask('GET', '/api/plugins/:name')).toBeUndefined();
    expect(ask('HEAD', '/api/plugins/:name')).toBeUndefined();
    expect(ask('POST', '/api/plugins/install', 'application/json')).toContain('takes an uploaded package only');
    expect(ask('POST', '/api/plugins/:name/approve', 'application/json')).toContain(
      'may not call POST /api/plugins/:name/approve',
    );
    expect(ask('GET', '/api/plugins')).toContain('may call only POST /api/plugins/install');
    expect(ask('GET', undefined)).toContain('may not call this route');
  });
});

test('an admin makes a token: shown once, stored hashed, listed without its secret, audited', async () => {
  const a = await start();
  const made = await makeToken(a, { name: 'finance ci', scopes: ['plugins:deploy'] });
  expect(made.statusCode).toBe(201);
  const token = made.json() as CreatedApiToken;
  expect(token.token).toMatch(/^wbt_[\w-]{43}$/);
  expect(token).toMatchObject({ name: 'finance ci', scopes: ['plugins:deploy'], createdBy: 'admin' });
  const days = (Date.parse(token.expiresAt) - Date.now()) / 86_400_000;
  expect(days).toBeGreaterThan(89.9);
  expect(days).toBeLessThanOrEqual(90);

  const list = await a.server.inject({ url: '/api/tokens', headers: { cookie: a.adminCookie } });
  expect(list.body).not.toContain(token.token);
  expect((list.json() as ApiTokenList).tokens).toEqual([expect.objectContaining({ id: token.id, name: 'finance ci' })]);
  const rows = await a.context.db.all<Record<string, unknown>>('SELECT * FROM api_tokens');
  expect(JSON.stringify(rows)).not.toContain(token.token.slice(4));

  const audit = await a.server.inject({ url: '/api/audit?action=token.create', headers: { cookie: a.adminCookie } });
  expect(audit.body).toContain('finance ci');
  expect(audit.body).not.toContain(token.token);
});

test('bad bodies name the field and make nothing; other users may not make or list tokens', async () => {
  const a = await start();
  const bad = async (body: object) => (await makeToken(a, body)).json().error.message as string;
  expect(await bad({ name: 'x', scopes: ['admin:all'] })).toContain('scopes');
  expect(await bad({ name: 'x', scopes: [] })).toContain('at least one scope');
  expect(await bad({ name: 'x', scopes: ['plugins:deploy'], expiresInDays: 366 })).toContain('at most 365');
  expect(await bad({ name: '', scopes: ['plugins:deploy'] })).toContain('name');
  expect((await makeToken(a, { name: 'once', scopes: ['plugins:deploy'] })).statusCode).toBe(201);
  expect((await makeToken(a, { name: 'once', scopes: ['plugins:deploy'] })).statusCode).toBe(409);

  const viewer = await a.userWithRoles('viewer', { default: 'viewer' });
  expect((await makeToken(a, { name: 'mine', scopes: ['plugins:deploy'] }, viewer)).statusCode).toBe(403);
  expect((await a.server.inject({ url: '/api/tokens', headers: { cookie: viewer } })).statusCode).toBe(403);
  const list = await a.server.inject({ url: '/api/tokens', headers: { cookie: a.adminCookie } });
  expect((list.json() as ApiTokenList).tokens.map((t) => t.name)).toEqual(['once']);
});

test('a deploy token installs and updates by zip, which wait for approval like any install; it reaches nothing else', async () => {
  const a = await start();
  const { token } = (await makeToken(a, { name: 'ci', scopes: ['plugins:deploy'], expiresInDays: 7 })).json();

  const installed = await withToken(
    a,
    token,
    'POST',
    '/api/plugins/install',
    pluginZip('owners', { capabilities: ['read-metadata'] }),
  );
  expect(installed.statusCode, installed.body).toBe(201);
  expect(installed.json().plugin).toMatchObject({ name: 'owners', state: 'pending-approval' });
  const read = await withToken(a, token, 'GET', '/api/plugins/owners');
  expect(read.json()).toMatchObject({ version: '1.0.0', state: 'pending-approval' });

  const refused = async (method: 'GET' | 'POST' | 'DELETE', url: string) => {
    const answer = await withToken(a, token, method, url);
    return `${answer.statusCode} ${answer.json().error.code}`;
  };
  for (const [method, url] of [
    ['POST', '/api/plugins/owners/approve'],
    ['GET', '/api/plugins'],
    ['GET', '/api/tokens'],
    ['POST', '/api/tokens'],
    ['DELETE', '/api/plugins/owners'],
    ['GET', '/api/auth/me'],
    ['GET', '/api/users'],
    ['GET', '/api/no-such-route'],
  ] as const)
    expect(await refused(method, url), `${method} ${url}`).toBe('403 token_scope');
  const byPath = await a.server.inject({
    method: 'POST',
    url: '/api/plugins/install',
    headers: { authorization: `Bearer ${token}` },
    payload: { path: '/etc' },
  });
  expect(byPath.json().error).toMatchObject({
    code: 'token_scope',
    message: expect.stringContaining('application/zip'),
  });

  // The admin approves in the console; the token's next version with nothing new activates at once.
  await a.server.inject({
    method: 'POST',
    url: '/api/plugins/owners/approve',
    headers: { cookie: a.adminCookie },
    payload: { version: '1.0.0' },
  });
  const next = pluginZip('owners', { version: '1.1.0', capabilities: ['read-metadata'] });
  const updated = await withToken(a, token, 'POST', '/api/plugins/owners/update', next);
  expect(updated.json()).toMatchObject({ status: 'activated', plugin: { version: '1.1.0', state: 'active' } });
  const more = pluginZip('owners', { version: '1.2.0', capabilities: ['read-metadata', 'extend-api'] });
  expect((await withToken(a, token, 'POST', '/api/plugins/owners/update', more)).json()).toMatchObject({
    status: 'pending-approval',
  });

  const audit = await a.server.inject({ url: '/api/audit?target=owners', headers: { cookie: a.adminCookie } });
  const actors = (audit.json() as { entries: { actorName: string | null; action: string }[] }).entries;
  expect(actors).toEqual(
    expect.arrayContaining([expect.objectContaining({ actorName: 'token:ci', action: 'plugin.install' })]),
  );
  const listed = (await a.server.inject({ url: '/api/tokens', headers: { cookie: a.adminCookie } })).json();
  expect(listed.tokens[0].lastUsedAt).toBeDefined();
});

test('a revoked, expired or unknown token is refused with 401 saying which', async () => {
  const a = await start();
  const { token, id } = (await makeToken(a, { name: 'old', scopes: ['plugins:deploy'] })).json();
  const second = (await makeToken(a, { name: 'expiring', scopes: ['plugins:deploy'] })).json();
  const read = async (secret: string) => (await withToken(a, secret, 'GET', '/api/plugins/nothing')).json().error;

  expect(await read('wbt_not-a-real-token')).toMatchObject({
    code: 'token_invalid',
    message: expect.stringContaining('not known'),
  });
  const revoked = await a.server.inject({
    method: 'DELETE',
    url: `/api/tokens/${id}`,
    headers: { cookie: a.adminCookie },
  });
  expect(revoked.statusCode).toBe(200);
  expect(await read(token)).toMatchObject({
    code: 'token_invalid',
    message: expect.stringContaining('"old" was revoked'),
  });
  const again = await a.server.inject({
    method: 'DELETE',
    url: `/api/tokens/${id}`,
    headers: { cookie: a.adminCookie },
  });
  expect(again.statusCode).toBe(409);

  // Time passes: the row's expiry is in the past.
  await a.context.db.run('UPDATE api_tokens SET expires_at = ? WHERE id = ?', ['2020-01-01T00:00:00.000Z', second.id]);
  expect(await read(second.token)).toMatchObject({
    code: 'token_invalid',
    message: expect.stringContaining('expired on 2020-01-01'),
  });
  expect(
    (await a.server.inject({ url: '/api/audit?action=token.revoke', headers: { cookie: a.adminCookie } })).body,
  ).toContain('old');
});

test('a token stops working when the admin who made it is deactivated', async () => {
  const a = await start();
  const other = await a.userWithRoles('second-admin', {}, true);
  const { token } = (await makeToken(a, { name: 'theirs', scopes: ['plugins:deploy'] }, other)).json();
  expect((await withToken(a, token, 'GET', '/api/plugins/nothing')).statusCode).toBe(404);
  const users = (await a.server.inject({ url: '/api/users', headers: { cookie: a.adminCookie } })).json();
  const id = (users.users as { id: string; username: string }[]).find((u) => u.username === 'second-admin')!.id;
  const deactivated = await a.server.inject({
    method: 'POST',
    url: `/api/users/${id}/deactivate`,
    headers: { cookie: a.adminCookie },
  });
  expect(deactivated.statusCode, deactivated.body).toBe(200);
  expect((await withToken(a, token, 'GET', '/api/plugins/nothing')).json().error).toMatchObject({
    code: 'token_invalid',
    message: expect.stringContaining('no longer is an active instance admin'),
  });
});
