import { describe, expect, test } from 'vitest';
import type { BudgetOverrides, PluginBudgetDefaults } from '../../../shared/plugin-budgets.schema.ts';
import { metricsPoint } from '../../../shared/testing/metrics-points.ts';
import { createBudgetWatcher } from './watcher.ts';

const defaults: PluginBudgetDefaults = {
  errorRate: 0.5,
  p95Ms: 2000,
  restarts: 5,
  minCalls: 3,
  windowMs: 30_000,
  autoDisable: true,
};
const noOverrides: BudgetOverrides = { errorRate: null, p95Ms: null, restarts: null };
const T0 = Date.parse('2026-01-01T00:00:00Z');

/** The point of the 10-second interval ending `second` seconds after T0. */
const point = (second: number, calls: number, errors: number) => metricsPoint(T0 + second * 1000, { calls, errors });

function setup(options: { autoDisable?: boolean; overrides?: BudgetOverrides } = {}) {
  const active = new Set(['p']);
  const actions: string[] = [];
  const failures: unknown[] = [];
  const watcher = createBudgetWatcher({
    defaults: { ...defaults, autoDisable: options.autoDisable ?? true },
    overrides: async () => options.overrides ?? noOverrides,
    isActive: (plugin) => active.has(plugin),
    async disable(plugin, reason) {
      actions.push(`disable ${plugin}: ${reason}`);
      active.delete(plugin);
    },
    async report(plugin, reason) {
      actions.push(`report ${plugin}: ${reason}`);
    },
    failed: (error) => failures.push(error),
  });
  /** Feeds points for seconds `from + 10` ... `to`, each with these calls and errors. */
  const feed = async (from: number, to: number, calls: number, errors: number) => {
    for (let s = from + 10; s <= to; s += 10) await watcher.judge('p', point(s, calls, errors));
  };
  return { watcher, active, actions, failures, feed };
}

describe('budget watcher', () => {
  test('disables a plugin once it failed for a whole window, not before', async () => {
    const { watcher, actions, feed } = setup();
    await feed(0, 20, 2, 2);
    expect(actions).toEqual([]);
    expect(watcher.current('p').overBudgetSince).toBe('2026-01-01T00:00:10.000Z');
    await feed(20, 30, 2, 2);
    expect(actions).toEqual(['disable p: error rate 100% over the last 30 s, budget 50%']);
    expect(watcher.current('p')).toEqual({ points: [], overBudgetSince: null });
  });

  test('a plugin within budget is left alone and has no over-budget time', async () => {
    const { watcher, actions, feed } = setup();
    await feed(0, 60, 10, 5);
    expect(actions).toEqual([]);
    expect(watcher.current('p').overBudgetSince).toBeNull();
    expect(watcher.current('p').points).toHaveLength(3);
  });

  test('judges against the overridden budget', async () => {
    const { actions, feed } = setup({ overrides: { errorRate: 0.9, p95Ms: null, restarts: null } });
    await feed(0, 60, 10, 8);
    expect(actions).toEqual([]);
  });

  test('once enabled again, starts over: old failures do not trip it at once', async () => {
    const { active, actions, feed } = setup();
    await feed(0, 30, 2, 2);
    expect(actions).toHaveLength(1);
    await feed(30, 40, 2, 2);
    active.add('p');
    await feed(40, 60, 2, 2);
    expect(actions).toHaveLength(1);
    await feed(60, 70, 2, 2);
    expect(actions).toHaveLength(2);
  });

  test('switched on again, an interval of the last window read again (every server in) does not count', async () => {
    const { watcher, active, actions, feed } = setup();
    await feed(0, 20, 2, 2);
    active.delete('p');
    await feed(20, 30, 2, 2);
    active.add('p');
    // The cluster's history hands in second 10 again, now with another server's failures added.
    await watcher.judge('p', point(10, 4, 4));
    expect(watcher.current('p')).toEqual({ points: [], overBudgetSince: null });
    await feed(30, 40, 2, 2);
    expect(watcher.current('p').points).toHaveLength(1);
    expect(actions).toEqual([]);
  });

  test('a plugin disabled by an admin meanwhile is not judged and starts over', async () => {
    const { watcher, active, actions, feed } = setup();
    await feed(0, 20, 2, 2);
    active.delete('p');
    await feed(20, 30, 2, 2);
    expect(watcher.current('p').points).toEqual([]);
    active.add('p');
    await feed(30, 50, 2, 2);
    expect(actions).toEqual([]);
  });

  test('with automatic disable off, reports once per stretch over budget', async () => {
    const { actions, feed } = setup({ autoDisable: false });
    await feed(0, 60, 2, 2);
    expect(actions).toEqual(['report p: error rate 100% over the last 30 s, budget 50%']);
    await feed(60, 100, 2, 0);
    await feed(100, 130, 2, 2);
    expect(actions).toHaveLength(2);
  });

  test('a failed disable is tried again at the next point; the failure is reported', async () => {
    const actions: string[] = [];
    const failures: unknown[] = [];
    let attempts = 0;
    const flaky = createBudgetWatcher({
      defaults,
      overrides: async () => noOverrides,
      isActive: () => true,
      async disable(plugin) {
        attempts += 1;
        if (attempts === 1) throw new Error('database is locked');
        actions.push(`disable ${plugin}`);
      },
      report: async () => {},
      failed: (error) => failures.push(error),
    });
    for (let s = 10; s <= 40; s += 10) await flaky.judge('p', point(s, 2, 2));
    expect(failures).toEqual([new Error('database is locked')]);
    expect(actions).toEqual(['disable p']);
    expect(flaky.current('p').points).toEqual([]);
  });
});
