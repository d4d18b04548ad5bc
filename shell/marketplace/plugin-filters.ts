import type { PluginHealthLevel } from '@dbt-workbench/plugin-sdk/contracts/plugin-metrics.schema';
import type { PluginSummary } from '../../shared/api.schema.ts';
import type { PluginState } from '../../shared/plugin-states.ts';

/** The state filters of the Plugins page, in the order shown, with their labels. */
export const stateFilters: readonly { state: PluginState; label: string }[] = [
  { state: 'active', label: 'Active' },
  { state: 'disabled', label: 'Disabled' },
  { state: 'pending-approval', label: 'Pending approval' },
  { state: 'error', label: 'Error' },
  { state: 'incompatible', label: 'Incompatible' },
  { state: 'invalid', label: 'Invalid' },
  { state: 'loading', label: 'Loading' },
];

/** The health filters, in the order shown; `none` is a plugin without a health reading (no cost history). */
export const healthFilters: readonly { health: PluginHealthLevel | 'none'; label: string }[] = [
  { health: 'healthy', label: 'Healthy' },
  { health: 'degraded', label: 'Degraded' },
  { health: 'failing', label: 'Failing' },
  { health: 'idle', label: 'Idle' },
  { health: 'off', label: 'Off' },
  { health: 'none', label: 'No reading' },
];

/** What the admin narrowed the list to; empty strings mean "any". */
export interface PluginFilter {
  text: string;
  state: PluginState | '';
  health: PluginHealthLevel | 'none' | '';
}

/**
 * The plugins whose newer version waits for approval while the one in force runs, by name, with whether an admin
 * rejected that version (it stays on disk and is not asked about again).
 */
export type WaitingUpdates = ReadonlyMap<string, { rejected: boolean }>;

const healthOf = (plugin: PluginSummary): PluginHealthLevel | 'none' => plugin.health?.level ?? 'none';

/** Whether an admin rejected the version of the plugin that waits for approval: its first version or a newer one. Pure. */
export function rejectedWaiting(plugin: PluginSummary, updates: WaitingUpdates = new Map()): boolean {
  return plugin.rejected !== undefined || updates.get(plugin.name)?.rejected === true;
}

/** Whether every word of `text` is in the plugin's name, display name, description or author. Pure. */
export function matchesText(plugin: PluginSummary, text: string): boolean {
  const words = text.toLowerCase().split(/\s+/).filter(Boolean);
  if (words.length === 0) return true;
  const haystack = [plugin.name, plugin.displayName, plugin.description, plugin.author?.name]
    .filter(Boolean)
    .join(' ')
    .toLowerCase();
  return words.every((word) => haystack.includes(word));
}

/**
 * Whether the plugin belongs under a state filter. "Pending approval" also lists a plugin whose newer version waits
 * for approval while the one in force runs: the admin has to act on it, or did reject it. Pure.
 */
function inState(plugin: PluginSummary, state: PluginState, updates: WaitingUpdates): boolean {
  return plugin.state === state || (state === 'pending-approval' && updates.has(plugin.name));
}

/** The plugins that pass the filter, in the order given. Pure. */
export function filterPlugins(
  plugins: readonly PluginSummary[],
  filter: PluginFilter,
  updates: WaitingUpdates = new Map(),
): PluginSummary[] {
  return plugins.filter(
    (p) =>
      matchesText(p, filter.text) &&
      (filter.state === '' || inState(p, filter.state, updates)) &&
      (filter.health === '' || healthOf(p) === filter.health),
  );
}

/**
 * How many plugins each state and each health filter would show, given the other filters: the count beside a
 * filter is what clicking it lists. `rejected` is how many of those "Pending approval" lists an admin already said
 * no to: they no longer wait for anyone. Pure.
 */
export function filterCounts(
  plugins: readonly PluginSummary[],
  filter: PluginFilter,
  updates: WaitingUpdates = new Map(),
) {
  const byState = new Map<PluginState | '', number>();
  const byHealth = new Map<PluginHealthLevel | 'none' | '', number>();
  let rejected = 0;
  const add = <K>(map: Map<K, number>, key: K) => map.set(key, (map.get(key) ?? 0) + 1);
  for (const plugin of plugins) {
    if (!matchesText(plugin, filter.text)) continue;
    if (filter.health === '' || healthOf(plugin) === filter.health) {
      add(byState, '');
      add(byState, plugin.state);
      if (plugin.state !== 'pending-approval' && updates.has(plugin.name)) add(byState, 'pending-approval');
      if (inState(plugin, 'pending-approval', updates) && rejectedWaiting(plugin, updates)) rejected += 1;
    }
    if (filter.state === '' || inState(plugin, filter.state, updates)) {
      add(byHealth, '');
      add(byHealth, healthOf(plugin));
    }
  }
  return {
    state: (state: PluginState | '') => byState.get(state) ?? 0,
    health: (health: PluginHealthLevel | 'none' | '') => byHealth.get(health) ?? 0,
    rejected: () => rejected,
  };
}

/**
 * Whether the admins' switches have the plugin running somewhere: `active`, or `loading`/`error` because its backend
 * is starting or down (it stays switched on and is retried; the admin may switch it off). Pure.
 */
export function switchedOn(plugin: PluginSummary): boolean {
  return plugin.enabledWorkspaces.length > 0;
}

/**
 * The actions that apply to a plugin in its state: what its row and the bulk bar offer. A rejected version is
 * approved only after all, on its card, never swept into a bulk approval. Pure.
 */
export function applicableActions(plugin: PluginSummary): { approve: boolean; enable: boolean; disable: boolean } {
  return {
    approve: plugin.state === 'pending-approval' && plugin.version !== undefined && !plugin.rejected,
    enable: plugin.state === 'disabled',
    disable: plugin.state === 'active' || switchedOn(plugin),
  };
}
