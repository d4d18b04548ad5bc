import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startTestApp, TEST_ADMIN, type TestApp } from '../testing/test-app.ts';
import { apiFromFrameProblem, crossSiteProblem } from './same-origin.ts';

describe('crossSiteProblem', () => {
  const change = { method: 'POST', host: 'wb.example:8080', origin: undefined, secFetchSite: undefined };

  test('a change from our own pages passes, whatever the scheme the proxy in front says', () => {
    expect(crossSiteProblem({ ...change, origin: 'http://wb.example:8080', secFetchSite: 'same-origin' })).toBe(
      undefined,
    );
    expect(crossSiteProblem({ ...change, host: 'wb.example', origin: 'https://wb.example' })).toBe(undefined);
    expect(crossSiteProblem({ ...change, host: 'WB.example:8080', origin: 'http://wb.example:8080' })).toBe(undefined);
    // Browsers leave the default port out of Origin; some clients put it in Host.
    expect(crossSiteProblem({ ...change, host: 'wb.example:443', origin: 'https://wb.example' })).toBe(undefined);
    expect(crossSiteProblem({ ...change, host: 'localhost:80', origin: 'http://localhost' })).toBe(undefined);
  });

  test('reads and non-browser clients (no Origin, no Sec-Fetch-Site) are not its business', () => {
    expect(crossSiteProblem({ ...change, method: 'GET', origin: 'http://evil.example' })).toBe(undefined);
    expect(crossSiteProblem(change)).toBe(undefined);
  });

  test('another origin, an opaque one, another port, or a browser hiding its Origin is refused', () => {
    expect(crossSiteProblem({ ...change, origin: 'http://evil.example' })).toMatch(/came from http:\/\/evil.example/);
    expect(crossSiteProblem({ ...change, method: 'DELETE', origin: 'null' })).toMatch(/an opaque origin/);
    expect(crossSiteProblem({ ...change, origin: 'http://wb.example:9090' })).toMatch(/came from/);
    expect(crossSiteProblem({ ...change, origin: 'http://wb.example.evil.example:8080' })).toMatch(/came from/);
    expect(crossSiteProblem({ ...change, secFetchSite: 'same-origin' })).toMatch(/without an Origin header/);
    expect(crossSiteProblem({ ...change, origin: 'http://wb.example:8080', secFetchSite: 'same-site' })).toMatch(
      /same-site request/,
    );
  });
});

describe('changes carrying the session cookie from another site', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp();
  });
  afterAll(() => app.close());

  const createUser = (username: string, headers: Record<string, string>) =>
    app.server.inject({
      method: 'POST',
      url: '/api/users',
      headers: { cookie: app.adminCookie, ...headers },
      payload: { username, password: `${username}-password-123`, roles: { default: 'viewer' } },
    });
  const usernames = async () =>
    (await app.server.inject({ url: '/api/users', headers: { cookie: app.adminCookie } }))
      .json()
      .users.map((u: { username: string }) => u.username);

  test("a JSON POST with Origin: http://evil.example and the admin's cookie is refused, and nothing changes", async () => {
    const forged = await createUser('mallory', { origin: 'http://evil.example', 'sec-fetch-site': 'cross-site' });
    expect(forged.statusCode).toBe(403);
    expect(forged.json()).toEqual({
      error: {
        code: 'cross_origin_refused',
        message: 'This change came from http://evil.example, not from this site; it was refused.',
      },
    });
    expect(forged.headers['x-content-type-options']).toBe('nosniff');
    // A form post from a sandboxed frame, and a browser that sends Sec-Fetch-Site without Origin, likewise.
    expect((await createUser('mallory', { origin: 'null' })).statusCode).toBe(403);
    expect((await createUser('mallory', { 'sec-fetch-site': 'cross-site' })).statusCode).toBe(403);
    expect(await usernames()).not.toContain('mallory');
  });

  test("the same change from the app's own page, or from a script without a browser, goes through", async () => {
    const fromShell = await createUser('alice', { origin: 'http://localhost:80', 'sec-fetch-site': 'same-origin' });
    expect(fromShell.statusCode).toBe(201);
    expect((await createUser('bob', {})).statusCode).toBe(201);
    expect(await usernames()).toEqual(expect.arrayContaining(['alice', 'bob']));
  });

  test('a cross-site sign-in is refused too (login CSRF), so no page can sign a browser into its account', async () => {
    const forged = await app.server.inject({
      method: 'POST',
      url: '/api/auth/login?next=/',
      headers: { origin: 'http://evil.example' },
      payload: TEST_ADMIN,
    });
    expect(forged.statusCode).toBe(403);
    expect(forged.cookies).toEqual([]);
  });

  test('requests without the session cookie are left to their own rules (plugin routes may take cross-site calls)', async () => {
    const anonymous = await app.server.inject({
      method: 'POST',
      url: '/api/users',
      headers: { origin: 'http://evil.example' },
      payload: {},
    });
    expect(anonymous.statusCode).toBe(401);
  });
});

describe('apiFromFrameProblem', () => {
  const read = { url: '/api/auth/me', origin: undefined, secFetchSite: undefined };

  test('an opaque origin or another site is refused on every API path, reads included', () => {
    expect(apiFromFrameProblem({ ...read, origin: 'null' })).toMatch(/opaque origin/);
    expect(apiFromFrameProblem({ ...read, url: '/api?x=1', origin: 'null' })).toMatch(/opaque origin/);
    expect(apiFromFrameProblem({ ...read, secFetchSite: 'cross-site' })).toMatch(/another site/);
  });

  test("the app's own pages, other clients and non-API paths (plugin files, frames) are not its business", () => {
    expect(apiFromFrameProblem(read)).toBe(undefined);
    expect(apiFromFrameProblem({ ...read, secFetchSite: 'same-origin', origin: 'http://wb.example' })).toBe(undefined);
    expect(apiFromFrameProblem({ ...read, secFetchSite: 'none' })).toBe(undefined);
    expect(
      apiFromFrameProblem({ ...read, url: '/plugins/p/1.0.0-abc/frontend/mf-manifest.json', origin: 'null' }),
    ).toBe(undefined);
    expect(apiFromFrameProblem({ ...read, url: '/apiary', origin: 'null' })).toBe(undefined);
  });
});

describe('no API from plugin frames', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp();
  });
  afterAll(() => app.close());

  const fromFrame = { origin: 'null', 'sec-fetch-site': 'cross-site' };

  test('what a sandboxed frame sends is refused 403 before anything runs, whatever the method and route', async () => {
    for (const [method, url] of [
      ['GET', '/api/auth/me'],
      ['GET', '/api/info'],
      ['GET', '/api/users'],
      ['GET', '/api/workspaces/default/models'],
      ['POST', '/api/auth/login'],
      ['DELETE', '/api/plugins/anything'],
      ['GET', '/api/no-such-route'],
    ] as const) {
      for (const headers of [fromFrame, { origin: 'null' }, { 'sec-fetch-site': 'cross-site' }]) {
        const response = await app.server.inject({
          method,
          url,
          headers: { cookie: app.adminCookie, ...headers },
          ...(method === 'POST' ? { payload: TEST_ADMIN } : {}),
        });
        expect(response.statusCode, `${method} ${url} ${JSON.stringify(headers)}`).toBe(403);
        expect(response.json().error.code).toBe('cross_origin_refused');
        expect(response.cookies).toEqual([]);
      }
    }
  });

  test("a frame cannot create a user with the admin's cookie; the app's own page still can", async () => {
    const make = (username: string, headers: Record<string, string>) =>
      app.server.inject({
        method: 'POST',
        url: '/api/users',
        headers: { cookie: app.adminCookie, ...headers },
        payload: { username, password: `${username}-password-123`, roles: { default: 'viewer' } },
      });
    expect((await make('framed', fromFrame)).statusCode).toBe(403);
    expect((await make('shelled', { origin: 'http://localhost:80', 'sec-fetch-site': 'same-origin' })).statusCode).toBe(
      201,
    );
    const users = (await app.server.inject({ url: '/api/users', headers: { cookie: app.adminCookie } })).json().users;
    expect(users.map((u: { username: string }) => u.username)).toEqual(expect.arrayContaining(['shelled']));
    expect(users.map((u: { username: string }) => u.username)).not.toContain('framed');
  });

  test('reads from our own pages, and from scripts without a browser, still answer', async () => {
    const me = { url: '/api/auth/me', headers: { cookie: app.adminCookie } };
    expect((await app.server.inject(me)).statusCode).toBe(200);
    expect(
      (await app.server.inject({ ...me, headers: { ...me.headers, 'sec-fetch-site': 'same-origin' } })).statusCode,
    ).toBe(200);
  });
});
