import type { PluginState } from '../../shared/plugin-states.ts';

const tone: Record<PluginState, 'good' | 'warn' | 'bad' | 'neutral'> = {
  active: 'good',
  loading: 'neutral',
  disabled: 'neutral',
  'pending-approval': 'warn',
  incompatible: 'warn',
  invalid: 'bad',
  error: 'bad',
};

/**
 * A plugin's state at a glance. A version an admin rejected (`rejected`, only while `pending-approval`) waits for
 * no one, so it reads "rejected", in a quiet tone, with its state in the tooltip.
 */
export function StateBadge({ state, rejected = false }: { state: PluginState; rejected?: boolean }) {
  if (rejected && state === 'pending-approval') {
    return (
      <span
        className="wb-badge wb-badge-neutral"
        data-testid="plugin-state"
        title="pending-approval: an admin rejected this version; it never runs"
      >
        rejected
      </span>
    );
  }
  return (
    <span className={`wb-badge wb-badge-${tone[state]}`} data-testid="plugin-state">
      {state}
    </span>
  );
}
