import { describe, expect, test } from 'vitest';
import { createRateLimiter } from './rate-limit.ts';

describe('createRateLimiter', () => {
  test('lets a burst through, then refills at the rate, per key', () => {
    let now = 0;
    const limiter = createRateLimiter(10, 3, () => now);
    expect([1, 2, 3].map(() => limiter.take('a'))).toEqual([0, 0, 0]);
    expect(limiter.take('a')).toBe(100);
    expect(limiter.take('b')).toBe(0);
    now = 100;
    expect(limiter.take('a')).toBe(0);
    expect(limiter.take('a')).toBeGreaterThan(0);
    now = 10_000;
    expect([1, 2, 3, 4].map(() => limiter.take('a'))).toEqual([0, 0, 0, 100]);
  });
});
