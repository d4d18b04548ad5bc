import { z } from 'zod';

/** Where a plugin stands (SPEC 4.7). Every state but `active` and `disabled` carries a reason. */
export const PluginState = z.enum([
  'invalid',
  'incompatible',
  'pending-approval',
  'disabled',
  'loading',
  'active',
  'error',
]);
export type PluginState = z.infer<typeof PluginState>;

const statesWithoutReason: ReadonlySet<PluginState> = new Set(['active', 'disabled']);

/** True when a plugin in this state must explain itself with a human-readable reason. */
export function stateNeedsReason(state: PluginState): boolean {
  return !statesWithoutReason.has(state);
}
