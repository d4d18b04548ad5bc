// A request's session cookie resolves to its user in one statement: a live session signs the request in; an
// expired, unknown or deactivated user's session does not. Runs on SQLite, and on PostgreSQL in its pass.
import { afterAll, beforeAll, expect, test } from 'vitest';
import { startTestApp, type TestApp } from '../testing/test-app.ts';
import { createSessionStore, SESSION_COOKIE } from './sessions.ts';

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp();
}, 60_000);
afterAll(() => app?.close());

const me = (cookie: string) => app.server.inject({ method: 'GET', url: '/api/auth/me', headers: { cookie } });

test('a live session is its user; an expired or unknown one answers 401', async () => {
  const admin = (await app.context.users.findCredentials('admin'))!.user;
  const live = await createSessionStore(app.context.db, 60_000).create(admin.id);
  const expired = await createSessionStore(app.context.db, -1).create(admin.id);

  const signedIn = await me(`${SESSION_COOKIE}=${live.token}`);
  expect(signedIn.statusCode).toBe(200);
  expect(signedIn.json()).toMatchObject({ user: { id: admin.id, username: 'admin' } });
  expect((await me(`${SESSION_COOKIE}=${expired.token}`)).statusCode).toBe(401);
  expect((await me(`${SESSION_COOKIE}=not-a-session`)).statusCode).toBe(401);
});
