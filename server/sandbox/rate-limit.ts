/** A token bucket per key: `perSecond` tokens flow in, at most `burst` wait. */
export interface RateLimiter {
  /** Takes a token; returns 0 when allowed, or how many ms until the next token. */
  take(key: string): number;
}

export function createRateLimiter(
  perSecond: number,
  burst: number,
  now: () => number = () => performance.now(),
): RateLimiter {
  const buckets = new Map<string, { tokens: number; at: number }>();
  return {
    take(key) {
      const t = now();
      const bucket = buckets.get(key) ?? { tokens: burst, at: t };
      bucket.tokens = Math.min(burst, bucket.tokens + ((t - bucket.at) / 1000) * perSecond);
      bucket.at = t;
      buckets.set(key, bucket);
      if (bucket.tokens >= 1) {
        bucket.tokens -= 1;
        return 0;
      }
      return Math.ceil(((1 - bucket.tokens) / perSecond) * 1000);
    },
  };
}
