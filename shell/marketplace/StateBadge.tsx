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

export function StateBadge({ state }: { state: PluginState }) {
  return (
    <span className={`wb-badge wb-badge-${tone[state]}`} data-testid="plugin-state">
      {state}
    </span>
  );
}
