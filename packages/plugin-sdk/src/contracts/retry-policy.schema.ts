import { z } from 'zod';
import { LifecycleEvent } from './lifecycle-events.ts';
import { RegistrationPoint } from './sandbox.schema.ts';

// `backend.retries` in a plugin manifest: how a failed hook or event handler is attempted again. A key is a hook
// point (`run-complete`, `lineage-build`...), a lifecycle event (`on-run-complete`...), or `event` for every
// lifecycle event without a key of its own. Routes are never retried: a user's request is answered once.

/** The most a policy may wait in all, between its attempts (the attempts' own deadlines come on top). */
export const MAX_RETRY_WAIT_MS = 30_000;

/** Keys `backend.retries` accepts: every registration point but `route`, and every lifecycle event. */
export const RetryTarget = z.enum([
  ...RegistrationPoint.options.filter((p): p is Exclude<RegistrationPoint, 'route'> => p !== 'route'),
  ...LifecycleEvent.options,
]);
export type RetryTarget = z.infer<typeof RetryTarget>;

const int = (min: number, max: number, unit = '') =>
  z
    .number()
    .int('must be a whole number')
    .min(min, `must be at least ${min}${unit}`)
    .max(max, `must be at most ${max}${unit}`);

/**
 * Up to `count` more attempts after a failed one (an error thrown, or its deadline passed); the first waits
 * `backoffMs`, each next one `factor` times longer.
 *
 * @example
 * { "count": 2, "backoffMs": 200 }   // waits 200 ms, then 400 ms: at most 3 attempts
 */
export const HookRetryPolicy = z
  .object({
    count: int(1, 5),
    backoffMs: int(0, 10_000, ' ms'),
    factor: z.number().min(1, 'must be at least 1').max(4, 'must be at most 4').optional(),
  })
  .superRefine((policy, ctx) => {
    const total = retryDelays(policy).reduce((a, b) => a + b, 0);
    if (total > MAX_RETRY_WAIT_MS) {
      ctx.addIssue({
        code: 'custom',
        message: `waits ${total} ms in all between attempts; at most ${MAX_RETRY_WAIT_MS} ms (lower count, backoffMs or factor)`,
        params: { rule: 'max-total-wait' },
      });
    }
  });
export type HookRetryPolicy = z.infer<typeof HookRetryPolicy>;

/** `backend.retries`: a retry policy per hook point or lifecycle event. */
export const BackendRetries = z.record(z.string(), HookRetryPolicy).superRefine((retries, ctx) => {
  for (const key of Object.keys(retries)) {
    if (RetryTarget.safeParse(key).success) continue;
    ctx.addIssue({
      code: 'custom',
      path: [key],
      message:
        key === 'route'
          ? 'routes are never retried: a request is answered once, and the client decides whether to send it again'
          : `is not a hook point or lifecycle event (${RetryTarget.options.join(', ')})`,
      params: { rule: key === 'route' ? 'no-route-retries' : 'one-of' },
    });
  }
});
export type BackendRetries = z.infer<typeof BackendRetries>;

/** The waits before each retry of `policy`, in ms: `backoffMs`, then `factor` times the previous. Pure. */
export function retryDelays(policy: Pick<HookRetryPolicy, 'count' | 'backoffMs' | 'factor'>): number[] {
  const factor = policy.factor ?? 2;
  return Array.from({ length: policy.count }, (_, i) => Math.round(policy.backoffMs * factor ** i));
}
