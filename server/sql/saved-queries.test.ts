import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import type { SavedQuery } from '@dbt-workbench/plugin-sdk/contracts/sql.schema';
import { startTestApp, type TestApp } from '../testing/test-app.ts';
import { createSqlFeature } from './feature.ts';
import { createSqlService } from './service.ts';

let app: TestApp;

beforeEach(async () => {
  app = await startTestApp({
    workspaces: [{ name: 'default' }, { name: 'other' }],
    features: [createSqlFeature(createSqlService())],
  });
});

afterEach(async () => {
  await app.close();
});

async function call(cookie: string, method: 'GET' | 'POST' | 'PUT' | 'DELETE', path = '', payload?: object) {
  const response = await app.server.inject({
    method,
    url: `/api/workspaces/default/sql/saved${path}`,
    headers: { cookie },
    ...(payload ? { payload } : {}),
  });
  return { status: response.statusCode, body: response.json() };
}

async function names(cookie: string): Promise<string[]> {
  const list = await call(cookie, 'GET');
  expect(list.status).toBe(200);
  return (list.body.queries as SavedQuery[]).map((q) => q.name);
}

describe('saved queries', () => {
  test('a developer saves, lists, overwrites and deletes their queries', async () => {
    const dev = await app.userWithRoles('dev', { default: 'developer' });
    const created = await call(dev, 'POST', '', { name: 'Top customers', sql: 'select 1' });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ name: 'Top customers', sql: 'select 1' });
    await call(dev, 'POST', '', { name: 'A first one', sql: 'select 2' });
    expect(await names(dev)).toEqual(['A first one', 'Top customers']);

    const id = (created.body as SavedQuery).id;
    const updated = await call(dev, 'PUT', `/${id}`, { name: 'Top customers', sql: 'select 3' });
    expect(updated.status).toBe(200);
    expect(updated.body).toMatchObject({ id, sql: 'select 3', createdAt: created.body.createdAt });
    const list = await call(dev, 'GET');
    expect(list.body.queries.find((q: SavedQuery) => q.id === id)?.sql).toBe('select 3');

    expect((await call(dev, 'DELETE', `/${id}`)).status).toBe(200);
    expect(await names(dev)).toEqual(['A first one']);
    expect((await call(dev, 'DELETE', `/${id}`)).status).toBe(404);
  });

  test('a name is unique per user and workspace: a duplicate answers 409 conflict', async () => {
    const dev = await app.userWithRoles('dev', { default: 'developer', other: 'developer' });
    await call(dev, 'POST', '', { name: 'Orders', sql: 'select 1' });
    const duplicate = await call(dev, 'POST', '', { name: 'Orders', sql: 'select 2' });
    expect(duplicate.status).toBe(409);
    expect(duplicate.body.error).toMatchObject({ code: 'conflict' });
    expect(duplicate.body.error.message).toContain('"Orders"');

    const second = await call(dev, 'POST', '', { name: 'Payments', sql: 'select 3' });
    const rename = await call(dev, 'PUT', `/${second.body.id}`, { name: 'Orders', sql: 'select 3' });
    expect(rename.status).toBe(409);
    expect(await names(dev)).toEqual(['Orders', 'Payments']);

    // The same name in another workspace, or for another user, is fine.
    const elsewhere = await app.server.inject({
      method: 'POST',
      url: '/api/workspaces/other/sql/saved',
      headers: { cookie: dev },
      payload: { name: 'Orders', sql: 'select 1' },
    });
    expect(elsewhere.statusCode).toBe(201);
    expect((await call(app.adminCookie, 'POST', '', { name: 'Orders', sql: 'select 1' })).status).toBe(201);
  });

  test('another developer can neither see, change nor delete my queries', async () => {
    const mine = await app.userWithRoles('me', { default: 'developer' });
    const theirs = await app.userWithRoles('them', { default: 'developer' });
    const created = await call(mine, 'POST', '', { name: 'Private', sql: 'select 42' });
    const id = created.body.id as string;

    expect(await names(theirs)).toEqual([]);
    expect((await call(theirs, 'PUT', `/${id}`, { name: 'Taken over', sql: 'select 0' })).status).toBe(404);
    expect((await call(theirs, 'DELETE', `/${id}`)).status).toBe(404);

    const still = await call(mine, 'GET');
    expect(still.body.queries).toEqual([expect.objectContaining({ id, name: 'Private', sql: 'select 42' })]);
  });

  test('viewers get 403; a bad body gets 400 naming the field', async () => {
    const viewer = await app.userWithRoles('vera', { default: 'viewer' });
    expect((await call(viewer, 'GET')).status).toBe(403);
    expect((await call(viewer, 'POST', '', { name: 'x', sql: 'select 1' })).status).toBe(403);

    const noName = await call(app.adminCookie, 'POST', '', { name: '  ', sql: 'select 1' });
    expect(noName.status).toBe(400);
    expect(noName.body.error.message).toContain('name');
    const noSql = await call(app.adminCookie, 'POST', '', { name: 'Empty' });
    expect(noSql.status).toBe(400);
    expect(noSql.body.error.message).toContain('sql');
    expect(await names(app.adminCookie)).toEqual([]);
  });
});
