import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { startTestApp, TEST_ADMIN, type TestApp } from '../testing/test-app.ts';
import { createSignInThrottle, delayAfter } from './sign-in-throttle.ts';

let app: TestApp | undefined;
afterEach(async () => {
  await app?.close();
  app = undefined;
});

const rules = { freeFailuresPerUser: 5, freeFailuresPerAddress: 20, firstDelayMs: 1000, maxDelayMs: 900_000 };

function signIn(a: TestApp, password: string, options: { username?: string; from?: string; cookie?: string } = {}) {
  return a.server.inject({
    method: 'POST',
    url: '/api/auth/login',
    remoteAddress: options.from ?? '127.0.0.1',
    headers: options.cookie ? { cookie: options.cookie } : {},
    payload: { username: options.username ?? TEST_ADMIN.username, password },
  });
}

describe('sign-in throttling', () => {
  test('the wait doubles after the free failures, up to the longest', () => {
    expect([1, 4, 5, 6, 7, 10].map((n) => delayAfter(n, 5, rules))).toEqual([0, 0, 1000, 2000, 4000, 32_000]);
    expect(delayAfter(40, 5, rules)).toBe(900_000);
  });

  test('failures are forgotten after the longest wait passes without one', () => {
    let now = 0;
    const throttle = createSignInThrottle({ ...rules, maxDelayMs: 10_000 }, () => now);
    for (let i = 0; i < 5; i++) throttle.failed('ann', '10.0.0.1');
    expect(throttle.waitFor('ann', '10.0.0.1')).toBe(1000);
    now = 20_000;
    expect(throttle.waitFor('ann', '10.0.0.1')).toBe(0);
    expect(throttle.failed('ann', '10.0.0.1')).toBe(0);
  });

  describe('through the sign-in route', () => {
    // One app for these tests: each uses its own usernames and client addresses.
    let shared: TestApp;
    beforeAll(async () => {
      shared = await startTestApp({ env: { SIGN_IN_FREE_FAILURES_PER_ADDRESS: '8' } });
      for (const name of ['carol', 'dave']) await shared.userWithRoles(name, { default: 'viewer' });
    });
    afterAll(() => shared.close());

    test('50 wrong passwords: 401 five times, then 429s with a growing Retry-After; the right one is refused too', async () => {
      const from = '198.51.100.1';
      const statuses: number[] = [];
      const waits: number[] = [];
      for (let i = 0; i < 50; i++) {
        const response = await signIn(shared, `wrong-${i}`, { from });
        statuses.push(response.statusCode);
        if (response.statusCode === 429) {
          waits.push(Number(response.headers['retry-after']));
          expect(response.json().error.code).toBe('sign_in_throttled');
        } else expect(response.json().error.code).toBe('invalid_credentials');
      }
      expect(statuses.slice(0, 5)).toEqual([401, 401, 401, 401, 401]);
      expect(statuses.slice(5).every((s) => s === 429)).toBe(true);
      expect(waits.slice(0, 6)).toEqual([2, 4, 8, 16, 32, 64]);
      for (let i = 1; i < waits.length; i++) expect(waits[i]).toBeGreaterThanOrEqual(waits[i - 1]!);
      expect(waits.at(-1)).toBe(900);

      // The attacker cannot tell the right password: it gets the same answer, and no session.
      const right = await signIn(shared, TEST_ADMIN.password, { from });
      expect(right.statusCode).toBe(429);
      expect(right.json()).toMatchObject({ error: { code: 'sign_in_throttled' } });
      expect(right.headers['retry-after']).toBe('900');
      expect(right.json().error).toEqual({
        code: 'sign_in_throttled',
        message: 'Too many failed sign-ins; retry in 15 min',
        details: { retryAfterSeconds: 900 },
      });
      expect(right.cookies.find((c) => c.name === 'wb_session')).toBeUndefined();

      // The lock is on the username and on the address: the admin from elsewhere is locked out too, for now;
      // another user from another address is not.
      expect((await signIn(shared, TEST_ADMIN.password, { from: '198.51.100.2' })).statusCode).toBe(429);
      expect((await signIn(shared, 'carol-password-123', { username: 'carol', from: '198.51.100.2' })).statusCode).toBe(
        200,
      );
    });

    test('one address guessing many usernames is slowed down too', async () => {
      const statuses: number[] = [];
      for (let i = 0; i < 10; i++)
        statuses.push((await signIn(shared, 'guess', { username: `user${i}`, from: '203.0.113.7' })).statusCode);
      expect(statuses).toEqual([401, 401, 401, 401, 401, 401, 401, 401, 429, 429]);
      // A known user from that address is refused as well; from another address it works.
      expect((await signIn(shared, 'dave-password-123', { username: 'dave', from: '203.0.113.7' })).statusCode).toBe(
        429,
      );
      expect((await signIn(shared, 'dave-password-123', { username: 'dave', from: '203.0.113.8' })).statusCode).toBe(
        200,
      );
    });

    test("a success resets the username's count: the next failures are free again", async () => {
      const as = (password: string, from: string) => signIn(shared, password, { username: 'dave', from });
      for (let i = 0; i < 4; i++) expect((await as('wrong', '192.0.2.1')).statusCode).toBe(401);
      expect((await as('dave-password-123', '192.0.2.1')).statusCode).toBe(200);
      for (let i = 0; i < 4; i++) expect((await as('wrong', '192.0.2.2')).statusCode).toBe(401);
      expect((await as('dave-password-123', '192.0.2.2')).statusCode).toBe(200);
    });

    test('signing in issues a new session id and ends the one the browser held (no fixation)', async () => {
      const me = (cookie: string) => shared.server.inject({ url: '/api/auth/me', headers: { cookie } });
      const before = await shared.login('carol', 'carol-password-123');
      expect((await me(before)).statusCode).toBe(200);

      const asCarol = { username: 'carol', from: '10.1.1.1' };
      const again = await signIn(shared, 'carol-password-123', { ...asCarol, cookie: before });
      expect(again.statusCode).toBe(200);
      const issued = again.cookies.find((c) => c.name === 'wb_session');
      expect(issued).toMatchObject({ httpOnly: true, sameSite: 'Lax', path: '/' });
      const after = `wb_session=${issued!.value}`;
      expect(after).not.toBe(before);
      expect((await me(after)).statusCode).toBe(200);
      expect((await me(before)).statusCode).toBe(401);

      // A planted id the server never issued is not adopted either.
      const planted = 'wb_session=attacker-chosen-id';
      const signedIn = await signIn(shared, 'carol-password-123', { ...asCarol, cookie: planted });
      expect(signedIn.cookies.find((c) => c.name === 'wb_session')!.value).not.toBe('attacker-chosen-id');
      expect((await me(planted)).statusCode).toBe(401);
    });
  });

  test('attempts per address and minute are capped whatever their outcome (SIGN_IN_ATTEMPTS_PER_MINUTE)', async () => {
    app = await startTestApp({ env: { SIGN_IN_ATTEMPTS_PER_MINUTE: '3' } });
    // startTestApp signed in once already.
    expect((await signIn(app, TEST_ADMIN.password)).statusCode).toBe(200);
    expect((await signIn(app, TEST_ADMIN.password)).statusCode).toBe(200);
    const capped = await signIn(app, TEST_ADMIN.password);
    expect(capped.statusCode).toBe(429);
    expect(Number(capped.headers['retry-after'])).toBeGreaterThan(0);
    expect(capped.json()).toEqual({
      error: {
        code: 'sign_in_throttled',
        message: expect.stringMatching(/^Too many sign-in attempts from this address \(at most 3 a minute\); retry in/),
      },
    });
    expect((await signIn(app, TEST_ADMIN.password, { from: '10.0.0.2' })).statusCode).toBe(200);
  });
});
