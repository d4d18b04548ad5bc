import { describe, expect, test } from 'vitest';
import { CallFailure } from './failures.ts';
import { createRegistrations } from './registrations.ts';
import { isRetryable, retryPolicyFor, sameHandler, withRetries, type RetryNotice } from './retries.ts';

/** An attempt that fails its first `failures` calls, then answers `'done'`; and the waits it was made to sleep. */
function flaky(failures: number) {
  const calls: number[] = [];
  const slept: number[] = [];
  return {
    calls,
    slept,
    attempt: async (n: number) => {
      calls.push(n);
      if (calls.length <= failures) throw new Error(`failure ${calls.length}`);
      return 'done';
    },
    sleep: async (ms: number) => void slept.push(ms),
  };
}

describe('withRetries', () => {
  test('without a policy there is one attempt and its error is thrown', async () => {
    const f = flaky(1);
    await expect(withRetries(f.attempt, undefined, { sleep: f.sleep })).rejects.toThrow('failure 1');
    expect(f.calls).toEqual([1]);
    expect(f.slept).toEqual([]);
  });

  test('retries after the backoff, growing by the factor, until an attempt succeeds', async () => {
    const f = flaky(2);
    const notices: RetryNotice[] = [];
    const value = await withRetries(
      f.attempt,
      { count: 3, backoffMs: 100, factor: 3 },
      {
        sleep: f.sleep,
        onRetry: (n) => notices.push(n),
      },
    );
    expect(value).toBe('done');
    expect(f.calls).toEqual([1, 2, 3]);
    expect(f.slept).toEqual([100, 300]);
    expect(notices.map(({ attempt, of, delayMs }) => ({ attempt, of, delayMs }))).toEqual([
      { attempt: 2, of: 4, delayMs: 100 },
      { attempt: 3, of: 4, delayMs: 300 },
    ]);
    expect((notices[1]!.error as Error).message).toBe('failure 2');
  });

  test('gives up after count + 1 attempts with the last error', async () => {
    const f = flaky(99);
    await expect(withRetries(f.attempt, { count: 2, backoffMs: 10 }, { sleep: f.sleep })).rejects.toThrow('failure 3');
    expect(f.calls).toEqual([1, 2, 3]);
    expect(f.slept).toEqual([10, 20]);
  });

  test('a success on the first attempt waits for nothing', async () => {
    const f = flaky(0);
    expect(await withRetries(f.attempt, { count: 5, backoffMs: 10 }, { sleep: f.sleep })).toBe('done');
    expect(f.slept).toEqual([]);
  });

  test('an error that is not retryable is thrown at once', async () => {
    const f = flaky(99);
    const options = { sleep: f.sleep, retryable: () => false };
    await expect(withRetries(f.attempt, { count: 2, backoffMs: 10 }, options)).rejects.toThrow('failure 1');
    expect(f.calls).toEqual([1]);
  });

  test('when the call is no longer wanted after a wait, no further attempt is made', async () => {
    const f = flaky(99);
    let wanted = true;
    const notices: RetryNotice[] = [];
    const options = {
      sleep: async (ms: number) => {
        await f.sleep(ms);
        if (f.calls.length === 2) wanted = false; // disabled during the second wait
      },
      proceed: () => wanted,
      onRetry: (n: RetryNotice) => notices.push(n),
    };
    await expect(withRetries(f.attempt, { count: 3, backoffMs: 10 }, options)).rejects.toThrow('failure 2');
    expect(f.calls).toEqual([1, 2]);
    expect(notices).toHaveLength(1);
  });
});

describe('retryPolicyFor', () => {
  const policy = (count: number) => ({ count, backoffMs: 0 });
  const retries = { 'run-complete': policy(1), 'on-run-complete': policy(2), event: policy(3) };

  test('a hook uses its point, an event its own name, then "event"; routes never', () => {
    expect(retryPolicyFor(retries, { point: 'run-complete' })).toEqual(policy(1));
    expect(retryPolicyFor(retries, { point: 'lineage-build' })).toBeUndefined();
    expect(retryPolicyFor(retries, { point: 'event', event: 'on-run-complete' })).toEqual(policy(2));
    expect(retryPolicyFor(retries, { point: 'event', event: 'on-plugin-load' })).toEqual(policy(3));
    expect(retryPolicyFor(retries, { point: 'route' })).toBeUndefined();
    expect(retryPolicyFor(undefined, { point: 'run-complete' })).toBeUndefined();
  });
});

describe('isRetryable', () => {
  test('thrown errors, timeouts, crashes and outages are; sandbox refusals and oversize answers are not', () => {
    expect(isRetryable(new Error('x'))).toBe(true);
    for (const kind of ['failed', 'timeout', 'crashed', 'unavailable'] as const)
      expect(isRetryable(new CallFailure(kind, 'x'))).toBe(true);
    for (const kind of ['denied', 'rejected', 'too_large'] as const)
      expect(isRetryable(new CallFailure(kind, 'x'))).toBe(false);
  });
});

describe('sameHandler', () => {
  test("finds the restarted process's handler at the same place among its point's, or none", () => {
    const before = createRegistrations();
    const after = createRegistrations();
    before.add({ handler: 1, point: 'run-complete', priority: 0 });
    before.add({ handler: 2, point: 'event', event: 'on-run-complete', priority: 0 });
    before.add({ handler: 3, point: 'event', event: 'on-plugin-load', priority: 0 });
    after.add({ handler: 7, point: 'event', event: 'on-plugin-load', priority: 0 });
    after.add({ handler: 8, point: 'run-complete', priority: 0 });
    expect(sameHandler(before, after, { handler: 1, point: 'run-complete', priority: 0 })?.handler).toBe(8);
    expect(
      sameHandler(before, after, { handler: 3, point: 'event', event: 'on-plugin-load', priority: 0 })?.handler,
    ).toBe(7);
    expect(
      sameHandler(before, after, { handler: 2, point: 'event', event: 'on-run-complete', priority: 0 }),
    ).toBeUndefined();
    before.remove(1);
    expect(sameHandler(before, before, { handler: 1, point: 'run-complete', priority: 0 })).toBeUndefined();
  });
});
