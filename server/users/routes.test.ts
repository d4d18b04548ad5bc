import { afterEach, describe, expect, test } from 'vitest';
import { startTestApp, TEST_ADMIN, type TestApp } from '../testing/test-app.ts';

let app: TestApp | undefined;
afterEach(async () => {
  await app?.close();
  app = undefined;
});

async function start(): Promise<TestApp> {
  app = await startTestApp({ workspaces: [{ name: 'alpha' }, { name: 'beta' }] });
  return app;
}

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
const call = (t: TestApp, method: Method, url: string, payload?: object, cookie = t.adminCookie) =>
  t.server.inject({ method, url, headers: { cookie }, ...(payload === undefined ? {} : { payload }) });

async function userId(t: TestApp, username: string): Promise<string> {
  const users = (await call(t, 'GET', '/api/users')).json().users as { id: string; username: string }[];
  return users.find((u) => u.username === username)!.id;
}

const signIn = (t: TestApp, username: string, password: string) =>
  t.server.inject({ method: 'POST', url: '/api/auth/login', payload: { username, password } });

async function auditActions(t: TestApp): Promise<string[]> {
  const body = (await call(t, 'GET', '/api/audit')).json() as { entries: { action: string }[] };
  return body.entries.map((e) => e.action);
}

describe('users managed by instance admins', () => {
  test('the instance admin is admin of every workspace, without memberships', async () => {
    const t = await start();
    await call(t, 'PUT', `/api/users/${await userId(t, TEST_ADMIN.username)}/roles`, { roles: {} });
    const me = (await call(t, 'GET', '/api/auth/me')).json();
    expect(me.workspaces).toEqual([
      { name: 'alpha', title: 'alpha', role: 'admin' },
      { name: 'beta', title: 'beta', role: 'admin' },
    ]);
    expect((await call(t, 'GET', '/api/workspaces/beta/extensions')).statusCode).toBe(200);
  });

  test('roles per workspace: set, changed to none, and what the user then reaches', async () => {
    const t = await start();
    const cookie = await t.userWithRoles('dev', { alpha: 'developer' });
    const id = await userId(t, 'dev');
    const set = await call(t, 'PUT', `/api/users/${id}/roles`, { roles: { beta: 'viewer' } });
    expect(set.json().roles).toEqual({ beta: 'viewer' });
    expect((await call(t, 'GET', '/api/auth/me', undefined, cookie)).json().workspaces).toEqual([
      { name: 'beta', title: 'beta', role: 'viewer' },
    ]);
    expect((await call(t, 'GET', '/api/workspaces/alpha/extensions', undefined, cookie)).statusCode).toBe(404);
    const unknown = await call(t, 'PUT', `/api/users/${id}/roles`, { roles: { gamma: 'viewer' } });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json().error.message).toContain('Unknown workspaces in roles: gamma');
  });

  test('the list gives every user their own workspace roles, and none to a user without any', async () => {
    const t = await start();
    await t.userWithRoles('both', { alpha: 'developer', beta: 'viewer' });
    await t.userWithRoles('one', { beta: 'admin' });
    await t.userWithRoles('none', {});
    const users = (await call(t, 'GET', '/api/users')).json().users as { username: string; roles: object }[];
    expect(Object.fromEntries(users.map((u) => [u.username, u.roles]))).toEqual({
      [TEST_ADMIN.username]: { alpha: 'admin', beta: 'admin' },
      both: { alpha: 'developer', beta: 'viewer' },
      one: { beta: 'admin' },
      none: {},
    });
  });

  test('a password reset ends the sessions; the new password works, the old one does not', async () => {
    const t = await start();
    const cookie = await t.userWithRoles('pat', { alpha: 'viewer' });
    const id = await userId(t, 'pat');
    const short = await call(t, 'POST', `/api/users/${id}/password`, { password: 'short' });
    expect(short.statusCode).toBe(400);
    expect(short.json().error.message).toContain('at least 10 characters');

    const chosen = await call(t, 'POST', `/api/users/${id}/password`, { password: 'a-new-password-1' });
    expect(chosen.json()).toEqual({ sessionsEnded: true });
    expect((await call(t, 'GET', '/api/auth/me', undefined, cookie)).statusCode).toBe(401);
    expect((await signIn(t, 'pat', 'pat-password-123')).statusCode).toBe(401);
    expect((await signIn(t, 'pat', 'a-new-password-1')).statusCode).toBe(200);

    const generated = await call(t, 'POST', `/api/users/${id}/password`, {});
    const password = generated.json().generatedPassword as string;
    expect(password).toMatch(/^[\w-]{16}$/);
    expect((await signIn(t, 'pat', password)).statusCode).toBe(200);
    expect(await auditActions(t)).toContain('user.password-reset');
    expect(JSON.stringify((await call(t, 'GET', '/api/audit')).json())).not.toContain(password);
  });

  test('a deactivated user is signed out and cannot sign in; reactivated, they can', async () => {
    const t = await start();
    const cookie = await t.userWithRoles('dee', { alpha: 'viewer' });
    const id = await userId(t, 'dee');
    const off = await call(t, 'POST', `/api/users/${id}/deactivate`);
    expect(off.statusCode).toBe(200);
    expect(off.json().deactivatedAt).toEqual(expect.any(String));
    expect((await call(t, 'GET', '/api/auth/me', undefined, cookie)).statusCode).toBe(401);
    const refused = await signIn(t, 'dee', 'dee-password-123');
    expect(refused.statusCode).toBe(403);
    expect(refused.json().error).toMatchObject({ code: 'user_deactivated' });
    // A wrong password still reads as a wrong password: the state of the account is told only to its owner.
    expect((await signIn(t, 'dee', 'wrong-password-123')).json().error.code).toBe('invalid_credentials');

    expect((await call(t, 'POST', `/api/users/${id}/reactivate`)).json().deactivatedAt).toBeNull();
    expect((await signIn(t, 'dee', 'dee-password-123')).statusCode).toBe(200);
    expect(await auditActions(t)).toEqual(expect.arrayContaining(['user.deactivate', 'user.reactivate']));
  });

  test('an API token stops working while the instance admin who made it is deactivated', async () => {
    const t = await start();
    const second = await t.userWithRoles('second', {}, true);
    const made = await call(t, 'POST', '/api/tokens', { name: 'ci', scopes: ['plugins:deploy'] }, second);
    expect(made.statusCode, made.body).toBe(201);
    const bearer = { authorization: `Bearer ${made.json().token as string}` };
    const probe = () => t.server.inject({ method: 'GET', url: '/api/plugins/no-such-plugin', headers: bearer });
    expect((await probe()).json().error.code).toBe('plugin_not_found');
    await call(t, 'POST', `/api/users/${await userId(t, 'second')}/deactivate`);
    const refused = await probe();
    expect(refused.statusCode).toBe(401);
    expect(refused.json().error).toMatchObject({ code: 'token_invalid' });
    expect(refused.json().error.message).toContain('no longer is an active instance admin');
    await call(t, 'POST', `/api/users/${await userId(t, 'second')}/reactivate`);
    expect((await probe()).json().error.code).toBe('plugin_not_found');
  });

  test('a deleted user is gone with their sessions', async () => {
    const t = await start();
    const cookie = await t.userWithRoles('del', { alpha: 'developer' });
    const id = await userId(t, 'del');
    expect((await call(t, 'DELETE', `/api/users/${id}`)).json()).toEqual({ deleted: 'del' });
    expect((await call(t, 'GET', '/api/auth/me', undefined, cookie)).statusCode).toBe(401);
    expect((await signIn(t, 'del', 'del-password-123')).statusCode).toBe(401);
    expect((await call(t, 'DELETE', `/api/users/${id}`)).statusCode).toBe(404);
    expect(await auditActions(t)).toContain('user.delete');
  });

  test('the last active instance admin cannot be deleted, deactivated or demoted: 409 naming why', async () => {
    const t = await start();
    const adminId = await userId(t, TEST_ADMIN.username);
    const second = await t.userWithRoles('second', {}, true);
    for (const [method, url, body, doing] of [
      ['DELETE', `/api/users/${adminId}`, undefined, 'deleted'],
      ['POST', `/api/users/${adminId}/deactivate`, undefined, 'deactivated'],
      ['PATCH', `/api/users/${adminId}`, { isInstanceAdmin: false }, 'demoted'],
    ] as const) {
      // Nobody deactivates their own account, admin or not.
      const response = await call(t, 'POST', `/api/users/${await userId(t, 'second')}/deactivate`, undefined, second);
      expect(response.statusCode).toBe(409);
      expect(response.json().error.message).toContain('You cannot deactivate your own account');

      // Demote the second admin, so the first is the last one.
      await call(t, 'PATCH', `/api/users/${await userId(t, 'second')}`, { isInstanceAdmin: false });
      const refused = await call(t, method, url, body);
      expect(refused.statusCode, `${method} ${url}`).toBe(409);
      expect(refused.json().error.message).toContain(`admin is the last active instance admin and cannot be ${doing}`);
      await call(t, 'PATCH', `/api/users/${await userId(t, 'second')}`, { isInstanceAdmin: true });
    }
    // With the second admin back, the first may be demoted.
    expect((await call(t, 'PATCH', `/api/users/${adminId}`, { isInstanceAdmin: false })).statusCode).toBe(200);
  });

  test('only instance admins manage users', async () => {
    const t = await start();
    const wsAdmin = await t.userWithRoles('wanda', { alpha: 'admin' });
    const id = await userId(t, 'wanda');
    for (const [method, url] of [
      ['PATCH', `/api/users/${id}`],
      ['POST', `/api/users/${id}/password`],
      ['POST', `/api/users/${id}/deactivate`],
      ['POST', `/api/users/${id}/reactivate`],
      ['DELETE', `/api/users/${id}`],
    ] as const) {
      const response = await call(t, method, url, method === 'DELETE' ? undefined : {}, wsAdmin);
      expect(response.statusCode, `${method} ${url}`).toBe(403);
    }
  });
});
