import { cpSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startTestApp, type TestApp } from './testing/test-app.ts';

/**
 * Every API's access rule, checked for every kind of caller: no session (401), a member of another
 * workspace only (404, as for a workspace that does not exist), each role in the workspace (403 below the
 * route's role), and an instance admin. "allowed" means the guard let the call through: its answer may
 * still be a 400 for the empty body these calls send.
 */
type Need = 'viewer' | 'developer' | 'admin' | 'instance-admin';

const ws = '/api/workspaces/alpha';
const endpoints: { method: 'GET' | 'POST' | 'PUT'; url: string; need: Need }[] = [
  { method: 'GET', url: `${ws}/extensions`, need: 'viewer' },
  { method: 'GET', url: `${ws}/catalog/status`, need: 'viewer' },
  { method: 'GET', url: `${ws}/catalog/summary`, need: 'viewer' },
  { method: 'GET', url: `${ws}/models`, need: 'viewer' },
  { method: 'GET', url: `${ws}/nodes/model.jaffle_shop.customers`, need: 'viewer' },
  { method: 'GET', url: `${ws}/search?q=customers`, need: 'viewer' },
  { method: 'GET', url: `${ws}/lineage?focus=model.jaffle_shop.customers`, need: 'viewer' },
  { method: 'GET', url: `${ws}/runs`, need: 'viewer' },
  { method: 'GET', url: `${ws}/schedules`, need: 'viewer' },
  { method: 'POST', url: `${ws}/schedules`, need: 'developer' },
  { method: 'POST', url: `${ws}/runs`, need: 'developer' },
  { method: 'POST', url: `${ws}/sql/query`, need: 'developer' },
  { method: 'GET', url: `${ws}/sql/tables`, need: 'developer' },
  { method: 'GET', url: `${ws}/sql/saved`, need: 'developer' },
  { method: 'GET', url: '/api/plugins', need: 'instance-admin' },
  { method: 'POST', url: '/api/plugins/nothing/approve', need: 'instance-admin' },
  { method: 'GET', url: '/api/plugins/nothing/logs', need: 'instance-admin' },
  { method: 'GET', url: '/api/plugins/nothing/budget', need: 'instance-admin' },
  { method: 'PUT', url: '/api/plugins/nothing/budget', need: 'instance-admin' },
  { method: 'GET', url: '/api/notices', need: 'instance-admin' },
  { method: 'POST', url: '/api/notices/nothing/dismiss', need: 'instance-admin' },
  { method: 'POST', url: '/api/plugins/nothing/disable', need: 'instance-admin' },
  { method: 'PUT', url: '/api/plugins/nothing/workspaces/alpha', need: 'instance-admin' },
  { method: 'GET', url: '/api/users', need: 'instance-admin' },
  { method: 'POST', url: '/api/users', need: 'instance-admin' },
  { method: 'GET', url: '/api/audit', need: 'instance-admin' },
];

type Caller = 'anonymous' | 'outsider' | 'viewer' | 'developer' | 'admin' | 'instance-admin';
const callers: Caller[] = ['anonymous', 'outsider', 'viewer', 'developer', 'admin', 'instance-admin'];
const rank: Record<Caller, number> = {
  anonymous: -1,
  outsider: -1,
  viewer: 0,
  developer: 1,
  admin: 2,
  'instance-admin': 3,
};
const needed: Record<Need, number> = { viewer: 0, developer: 1, admin: 2, 'instance-admin': 3 };

/** The status class a caller must get: a guard's refusal, or "allowed". */
function expected(caller: Caller, need: Need, inWorkspace: boolean): 401 | 403 | 404 | 'allowed' {
  if (caller === 'anonymous') return 401;
  if (caller === 'outsider' && inWorkspace) return 404;
  if (need === 'instance-admin') return caller === 'instance-admin' ? 'allowed' : 403;
  return rank[caller] >= needed[need] ? 'allowed' : 403;
}

let app: TestApp;
const cookies: Partial<Record<Caller, string>> = {};

beforeAll(async () => {
  app = await startTestApp({
    workspaces: [
      { name: 'alpha', runCommand: [process.execPath, '-e', '0'] },
      { name: 'beta', runCommand: [process.execPath, '-e', '0'] },
    ],
    prepare(dir) {
      const demo = path.resolve(import.meta.dirname, '../demo/workspaces/jaffle-shop-classic');
      cpSync(path.join(demo, 'target'), path.join(dir, 'workspaces/alpha/target'), { recursive: true });
      cpSync(path.join(demo, 'seeds'), path.join(dir, 'workspaces/alpha/seeds'), { recursive: true });
    },
  });
  cookies['instance-admin'] = app.adminCookie;
  cookies.viewer = await app.userWithRoles('viewer', { alpha: 'viewer' });
  cookies.developer = await app.userWithRoles('developer', { alpha: 'developer' });
  cookies.admin = await app.userWithRoles('ws-admin', { alpha: 'admin' });
  cookies.outsider = await app.userWithRoles('outsider', { beta: 'admin' });
}, 60_000);

afterAll(async () => {
  await app.close();
});

describe.each(endpoints)('$method $url needs $need', ({ method, url, need }) => {
  test.each(callers)('as %s', async (caller) => {
    const cookie = cookies[caller];
    const response = await app.server.inject({
      method,
      url,
      headers: cookie ? { cookie } : {},
      ...(method === 'GET' ? {} : { payload: {} }),
    });
    const want = expected(caller, need, url.startsWith(ws));
    if (want === 'allowed') {
      expect([401, 403], `${caller} ${method} ${url}: ${response.body}`).not.toContain(response.statusCode);
      if (url.startsWith(ws)) expect(response.statusCode, response.body).not.toBe(404);
    } else {
      expect(response.statusCode, `${caller} ${method} ${url}: ${response.body}`).toBe(want);
    }
  });
});
