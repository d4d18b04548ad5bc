import type {
  BudgetBreach,
  BudgetOverrides,
  PluginBudget,
  PluginBudgetDefaults,
} from '../../../shared/plugin-budgets.schema.ts';
import { formatMs, formatSpan } from '../../../shared/plugin-health.ts';
import type { MetricsPoint } from '@dbt-workbench/plugin-sdk/contracts/plugin-metrics.schema';

/** The budget in force for one plugin: the defaults with the figures an admin overrode. Pure. */
export function effectiveBudget(defaults: PluginBudgetDefaults, overrides?: BudgetOverrides): PluginBudget {
  return {
    ...defaults,
    errorRate: overrides?.errorRate ?? defaults.errorRate,
    p95Ms: overrides?.p95Ms ?? defaults.p95Ms,
    restarts: overrides?.restarts ?? defaults.restarts,
  };
}

const endOf = (point: MetricsPoint) => Date.parse(point.at);
const startOf = (point: MetricsPoint) => endOf(point) - point.intervalMs;

/** The points (oldest first) whose interval ends within `windowMs` of the last point's end. Pure. */
export function lastWindow(points: readonly MetricsPoint[], windowMs: number): MetricsPoint[] {
  const last = points.at(-1);
  if (!last) return [];
  const from = endOf(last) - windowMs;
  return points.filter((p) => endOf(p) > from);
}

/**
 * How long, in ms, the points (oldest first) cover without a gap, back from the last one's end. Timers drift, so a
 * gap up to half an interval still counts as covered. Pure.
 */
export function coveredMs(points: readonly MetricsPoint[]): number {
  const last = points.at(-1);
  if (!last) return 0;
  let start = startOf(last);
  for (let i = points.length - 2; i >= 0; i--) {
    const point = points[i]!;
    if (endOf(point) < start - point.intervalMs / 2) break;
    start = Math.min(start, startOf(point));
  }
  return endOf(last) - start;
}

const percent = (share: number) => `${Math.round(share * 100)}%`;
const sum = (points: readonly MetricsPoint[], key: 'calls' | 'errors' | 'restarts') =>
  points.reduce((total, p) => total + p[key], 0);
const hookP95s = (points: readonly MetricsPoint[]) =>
  points.flatMap((p) => (p.hookP95Ms === null ? [] : [p.hookP95Ms]));

function errorRateBreach(points: readonly MetricsPoint[], budget: PluginBudget, span: string) {
  const calls = sum(points, 'calls');
  if (calls === 0 || calls < budget.minCalls) return undefined;
  const value = sum(points, 'errors') / calls;
  if (value <= budget.errorRate) return undefined;
  const message = `error rate ${percent(value)} over the last ${span}, budget ${percent(budget.errorRate)}`;
  return { figure: 'errorRate', value, limit: budget.errorRate, message } satisfies BudgetBreach;
}

function p95Breach(value: number | undefined, budget: PluginBudget, span: string, quantifier: string) {
  if (value === undefined || value <= budget.p95Ms) return undefined;
  const message = `hook p95 ${quantifier} ${formatMs(value)} over the last ${span}, budget ${formatMs(budget.p95Ms)}`;
  return { figure: 'p95Ms', value, limit: budget.p95Ms, message } satisfies BudgetBreach;
}

function restartsBreach(points: readonly MetricsPoint[], budget: PluginBudget, span: string) {
  const value = sum(points, 'restarts');
  if (value <= budget.restarts) return undefined;
  const message = `${value} restarts over the last ${span}, budget ${budget.restarts}`;
  return { figure: 'restarts', value, limit: budget.restarts, message } satisfies BudgetBreach;
}

/**
 * What the points of one window exceed, taken together: the share of failing calls (judged only from `minCalls`
 * calls on), the slowest interval's hook p95, and the restarts. Empty within budget. Pure.
 *
 * @example
 * breaches(lastWindow(points, budget.windowMs), budget)
 * // [{ figure: 'errorRate', value: 1, limit: 0.5, message: 'error rate 100% over the last 60 s, budget 50%' }]
 */
export function breaches(points: readonly MetricsPoint[], budget: PluginBudget): BudgetBreach[] {
  if (points.length === 0) return [];
  const span = formatSpan(coveredMs(points));
  const slowest = Math.max(...hookP95s(points));
  return [
    errorRateBreach(points, budget, span),
    p95Breach(Number.isFinite(slowest) ? slowest : undefined, budget, span, 'up to'),
    restartsBreach(points, budget, span),
  ].filter((b) => b !== undefined);
}

/**
 * What the plugin has exceeded without a break for a whole `windowMs`, ending at its last point: the window must
 * be covered by points, and for the error rate and hook p95 every interval in it must be over budget on its own
 * (a spike followed by quiet is not sustained); restarts count over the window. Empty when nothing is sustained.
 * Pure.
 */
export function sustainedBreaches(points: readonly MetricsPoint[], budget: PluginBudget): BudgetBreach[] {
  const window = lastWindow(points, budget.windowMs);
  const covered = coveredMs(window);
  const slack = (window[0]?.intervalMs ?? 0) / 2;
  if (window.length === 0 || covered < budget.windowMs - slack) return [];
  const span = formatSpan(budget.windowMs);
  const everyIntervalFails = window.every((p) => p.calls > 0 && p.errors / p.calls > budget.errorRate);
  const everyIntervalSlow = window.every((p) => p.hookP95Ms !== null && p.hookP95Ms > budget.p95Ms);
  return [
    everyIntervalFails ? errorRateBreach(window, budget, span) : undefined,
    everyIntervalSlow ? p95Breach(Math.min(...hookP95s(window)), budget, span, 'at least') : undefined,
    restartsBreach(window, budget, span),
  ].filter((b) => b !== undefined);
}
