import type { PluginBudgetDefaults } from './plugin-budgets.schema.ts';
import type {
  MetricsPoint,
  PluginHealth,
  PluginHealthLevel,
} from '@dbt-workbench/plugin-sdk/contracts/plugin-metrics.schema';
import type { PluginState } from './plugin-states.ts';
import type { BackendState } from '@dbt-workbench/plugin-sdk/contracts/sandbox.schema';

/** The parts of a budget health judges against. */
export type HealthBudget = Pick<PluginBudgetDefaults, 'errorRate' | 'p95Ms' | 'restarts' | 'minCalls'>;

export interface HealthInput {
  state: PluginState;
  /** An admin rejected the version waiting for its first approval: it waits for no one and never runs. */
  rejected?: boolean;
  backend: { state: BackendState; reason?: string };
  /** The plugin's cost history, oldest first; only points within `windowMs` of `now` count. */
  points: readonly MetricsPoint[];
  budget: HealthBudget;
  windowMs: number;
  now: Date;
}

/** "850 ms", "3.2 s". */
export function formatMs(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  const s = ms / 1000;
  return `${s < 10 ? s.toFixed(1).replace(/\.0$/, '') : Math.round(s)} s`;
}

/** "500 ms", "90 s", "5 min", "3 h". */
export function formatSpan(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 120_000) return `${Math.round(ms / 1000)} s`;
  if (ms < 7_200_000) return `${Math.round(ms / 60_000)} min`;
  return `${Math.round(ms / 3_600_000)} h`;
}

const percent = (share: number) =>
  `${share < 0.1 ? (share * 100).toFixed(1).replace(/\.0$/, '') : Math.round(share * 100)}%`;
const times = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

const offStates: Partial<Record<PluginState, string>> = {
  disabled: 'Disabled',
  'pending-approval': 'Waiting for an admin to approve what it asks for',
  loading: 'Loading',
  invalid: 'Not running: its manifest is invalid',
  incompatible: 'Not running: incompatible with this server',
};

/**
 * One plugin's health from its state and its cost over the last `windowMs` (PLUGIN_BUDGET_WINDOW_S): the worst
 * finding wins, in this order: not running (`off`), failed to load or backend down, restarts or error rate over
 * budget (`failing`; over budget means above it); then hook p95 over budget, some restarts, errors at half the budget or more, frontend
 * failures (`degraded`); then no calls or loads (`idle`); else `healthy`. Latency is the latest interval's hook and
 * event p95 (what the budget watches), so a plugin made fast again recovers at the next point; counts are summed.
 *
 * @example
 * pluginHealth({ state: 'active', backend: { state: 'active' }, points, budget, windowMs: 300_000, now: new Date() })
 * // { level: 'degraded', summary: 'p95 3.2 s over the 2 s budget' }
 */
export function pluginHealth(input: HealthInput): PluginHealth {
  const { budget, backend } = input;
  const health = (level: PluginHealthLevel, summary: string): PluginHealth => ({ level, summary });
  if (input.state === 'error') return health('failing', 'Failed to load');
  if (input.rejected && input.state === 'pending-approval') return health('off', 'Rejected by an admin: it never runs');
  if (input.state !== 'active') return health('off', offStates[input.state] ?? 'Not running');
  if (backend.state === 'error') return health('failing', `Backend down: ${backend.reason ?? 'it keeps crashing'}`);

  const since = input.now.getTime() - input.windowMs;
  const recent = input.points.filter((p) => Date.parse(p.at) > since);
  const last = `in the last ${formatSpan(input.windowMs)}`;
  const sum = (key: 'calls' | 'errors' | 'restarts' | 'frontendLoads' | 'frontendErrors') =>
    recent.reduce((total, p) => total + p[key], 0);
  const calls = sum('calls');
  const errors = sum('errors');
  const restarts = sum('restarts');
  const frontendLoads = sum('frontendLoads');
  const frontendErrors = sum('frontendErrors');
  const errorShare = calls > 0 ? errors / calls : 0;
  const judged = calls >= budget.minCalls;
  const p95 = recent.findLast((p) => p.hookP95Ms !== null)?.hookP95Ms ?? null;

  if (restarts > budget.restarts) return health('failing', `Restarted ${times(restarts, 'time')} ${last}`);
  if (judged && errorShare > budget.errorRate) return health('failing', `${percent(errorShare)} errors ${last}`);
  if (p95 !== null && p95 > budget.p95Ms)
    return health('degraded', `p95 ${formatMs(p95)} over the ${formatMs(budget.p95Ms)} budget`);
  if (restarts > 0) return health('degraded', `Restarted ${times(restarts, 'time')} ${last}`);
  if (judged && errorShare >= budget.errorRate / 2) return health('degraded', `${percent(errorShare)} errors ${last}`);
  if (frontendErrors > 0)
    return health('degraded', `${times(frontendErrors, 'load or render error')} in browsers ${last}`);

  if (calls === 0 && frontendLoads === 0)
    return health('idle', input.points.length === 0 ? 'No figures yet' : `No calls or loads ${last}`);
  const latestP95 = recent.findLast((p) => p.p95Ms !== null)?.p95Ms ?? null;
  const parts = [
    ...(calls > 0 ? [`${times(calls, 'call')}, ${errors === 0 ? 'no errors' : times(errors, 'error')}`] : []),
    ...(latestP95 !== null ? [`p95 ${formatMs(latestP95)}`] : []),
    ...(frontendLoads > 0 ? [times(frontendLoads, 'load')] : []),
  ];
  return health('healthy', `${parts.join(', ')} ${last}`);
}
