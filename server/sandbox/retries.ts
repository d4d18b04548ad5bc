import {
  retryDelays,
  type BackendRetries,
  type HookRetryPolicy,
} from '@dbt-workbench/plugin-sdk/contracts/retry-policy.schema';
import { CallFailure, type FailureKind } from './failures.ts';
import type { Registration, Registrations } from './registrations.ts';

/** A retry about to be made: attempt `attempt` of `of`, after waiting `delayMs` since `error`. */
export interface RetryNotice {
  attempt: number;
  of: number;
  delayMs: number;
  error: unknown;
}

export interface RetryOptions {
  /** Called once per retry, right before its attempt. */
  onRetry?(notice: RetryNotice): void;
  sleep?(ms: number): Promise<void>;
  /** Whether a failure may be tried again at all; every error by default. */
  retryable?(error: unknown): boolean;
  /** Asked after each wait: false gives up with the last error (the plugin was disabled, swapped or unloaded). */
  proceed?(): boolean | Promise<boolean>;
}

const realSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Runs `attempt` once, then again after each wait of `policy` while it fails; the last outcome is returned or
 * thrown. Without a policy it is a single attempt.
 */
export async function withRetries<T>(
  attempt: (n: number) => Promise<T>,
  policy: HookRetryPolicy | undefined,
  options: RetryOptions = {},
): Promise<T> {
  const delays = policy ? retryDelays(policy) : [];
  const sleep = options.sleep ?? realSleep;
  for (let n = 1; ; n += 1) {
    try {
      return await attempt(n);
    } catch (error) {
      const delayMs = delays[n - 1];
      if (delayMs === undefined || (options.retryable && !options.retryable(error))) throw error;
      await sleep(delayMs);
      if (options.proceed && !(await options.proceed())) throw error;
      options.onRetry?.({ attempt: n + 1, of: delays.length + 1, delayMs, error });
    }
  }
}

/** The policy a registration runs under: its hook point's, or for an event its own name's, then `event`'s. Pure. */
export function retryPolicyFor(
  retries: BackendRetries | undefined,
  registration: Pick<Registration, 'point' | 'event'>,
): HookRetryPolicy | undefined {
  if (!retries || registration.point === 'route') return undefined;
  if (registration.point !== 'event') return retries[registration.point];
  return (registration.event && retries[registration.event]) || retries.event;
}

/** Refusals and oversize answers fail the same way every time; errors, timeouts, crashes and outages may not. */
const permanent = new Set<FailureKind>(['denied', 'rejected', 'too_large']);

export const isRetryable = (error: unknown) => !(error instanceof CallFailure && permanent.has(error.kind));

/**
 * The same handler in `registrations`, a restarted process's when a timeout killed the old one: the one at the
 * same place among the registrations of its point (and event). Pure.
 */
export function sameHandler(
  before: Registrations,
  after: Registrations,
  registration: Registration,
): Registration | undefined {
  const peers = (r: Registrations) =>
    registration.point === 'event' && registration.event ? r.forEvent(registration.event) : r.of(registration.point);
  const index = peers(before).findIndex((r) => r.handler === registration.handler);
  return index < 0 ? undefined : peers(after)[index];
}
