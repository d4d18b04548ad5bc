/** How sign-in failures slow down further attempts (SIGN_IN_* settings). */
export interface SignInThrottleRules {
  /** Failures for one username before each further attempt waits. */
  freeFailuresPerUser: number;
  /** Failures from one client address before each further attempt waits. */
  freeFailuresPerAddress: number;
  /** The first wait; each further failure doubles it. */
  firstDelayMs: number;
  /** The longest wait; failures are also forgotten after this long without one. */
  maxDelayMs: number;
}

interface Counter {
  failures: number;
  lockedUntil: number;
  lastFailureAt: number;
}

/** Counters kept at most; the least recently failed are dropped first, so a flood of usernames cannot grow memory. */
const MAX_COUNTERS = 10_000;

/** The wait after the `failures`-th failure, given `free` failures without one. Pure. */
export function delayAfter(failures: number, free: number, rules: SignInThrottleRules): number {
  if (failures < free) return 0;
  return Math.min(rules.maxDelayMs, rules.firstDelayMs * 2 ** Math.min(failures - free, 40));
}

/**
 * Failed sign-ins counted per username and per client address, in memory. After the free failures, each failure
 * locks its keys for a doubling delay; an attempt during a lock is refused without checking the password (so it
 * tells nothing) and counts as one more failure. A success clears the username's count, not the address's, so an
 * attacker with an account of their own cannot wipe the count of the address they guess from.
 */
export function createSignInThrottle(rules: SignInThrottleRules, now: () => number = Date.now) {
  const counters = new Map<string, Counter>();
  const keysOf = (username: string, address: string) => [
    { key: `user:${username.toLowerCase()}`, free: rules.freeFailuresPerUser },
    { key: `address:${address}`, free: rules.freeFailuresPerAddress },
  ];
  const live = (key: string): Counter | undefined => {
    const counter = counters.get(key);
    if (counter && now() - counter.lastFailureAt > rules.maxDelayMs && now() >= counter.lockedUntil) {
      counters.delete(key);
      return undefined;
    }
    return counter;
  };

  return {
    /** Milliseconds until this username may try again from this address; 0 when it may try now. */
    waitFor(username: string, address: string): number {
      const until = Math.max(0, ...keysOf(username, address).map(({ key }) => live(key)?.lockedUntil ?? 0));
      return Math.max(0, until - now());
    },
    /** Counts a failed (or refused) attempt; returns the wait now in force, 0 while failures are still free. */
    failed(username: string, address: string): number {
      let wait = 0;
      for (const { key, free } of keysOf(username, address)) {
        const counter = live(key) ?? { failures: 0, lockedUntil: 0, lastFailureAt: 0 };
        counter.failures++;
        counter.lastFailureAt = now();
        const delay = delayAfter(counter.failures, free, rules);
        if (delay > 0) counter.lockedUntil = Math.max(counter.lockedUntil, now() + delay);
        wait = Math.max(wait, counter.lockedUntil - now());
        // Re-inserted, so the Map's order is least recently failed first.
        counters.delete(key);
        counters.set(key, counter);
      }
      while (counters.size > MAX_COUNTERS) counters.delete(counters.keys().next().value!);
      return Math.max(0, wait);
    },
    /** A correct password outside any lock: the username starts afresh. */
    succeeded(username: string): void {
      counters.delete(`user:${username.toLowerCase()}`);
    },
  };
}

export type SignInThrottle = ReturnType<typeof createSignInThrottle>;
