import { describe, expect, test } from 'vitest';
import type { PluginBudget } from '../../../shared/plugin-budgets.schema.ts';
import type { MetricsPoint } from '@dbt-workbench/plugin-sdk/contracts/plugin-metrics.schema';
import { metricsPoint } from '../../../shared/testing/metrics-points.ts';
import { breaches, coveredMs, effectiveBudget, lastWindow, sustainedBreaches } from './evaluate.ts';

const budget: PluginBudget = {
  errorRate: 0.5,
  p95Ms: 2000,
  restarts: 5,
  minCalls: 20,
  windowMs: 60_000,
  autoDisable: true,
};

const T0 = Date.parse('2026-01-01T00:00:00Z');

/** A 10-second point ending `second` seconds after T0. */
const point = (second: number, figures: Partial<MetricsPoint> = {}) => metricsPoint(T0 + second * 1000, figures);

/** Points every 10 s ending at `from + 10`, ..., `to` seconds. */
const series = (from: number, to: number, figures: Partial<MetricsPoint> = {}) =>
  Array.from({ length: (to - from) / 10 }, (_, i) => point(from + 10 * (i + 1), figures));

describe('effectiveBudget', () => {
  test('takes each overridden figure and the defaults for the rest', () => {
    expect(effectiveBudget(budget, { errorRate: 0.1, p95Ms: null, restarts: 0 })).toEqual({
      ...budget,
      errorRate: 0.1,
      restarts: 0,
    });
  });

  test('is the defaults without overrides', () => {
    expect(effectiveBudget(budget)).toEqual(budget);
    expect(effectiveBudget(budget, { errorRate: null, p95Ms: null, restarts: null })).toEqual(budget);
  });
});

describe('lastWindow and coveredMs', () => {
  test('keeps the points ending within the window of the last one', () => {
    const points = series(0, 100);
    expect(lastWindow(points, 30_000).map((p) => p.at)).toEqual(points.slice(-3).map((p) => p.at));
    expect(lastWindow([], 30_000)).toEqual([]);
  });

  test('measures the stretch covered without gaps, back from the last point', () => {
    expect(coveredMs(series(0, 60))).toBe(60_000);
    expect(coveredMs([point(10), point(20), point(50), point(60)])).toBe(20_000);
    expect(coveredMs([])).toBe(0);
  });

  test('forgives timer drift up to half an interval', () => {
    expect(coveredMs([point(10), point(24), point(34)])).toBe(34_000);
    expect(coveredMs([point(10), point(26), point(36)])).toBe(20_000);
  });
});

describe('breaches', () => {
  test('names the error rate and the budget', () => {
    const found = breaches(series(0, 60, { calls: 10, errors: 10 }), budget);
    expect(found).toEqual([
      { figure: 'errorRate', value: 1, limit: 0.5, message: 'error rate 100% over the last 60 s, budget 50%' },
    ]);
  });

  test('judges the error rate only from minCalls calls in the window on', () => {
    expect(breaches(series(0, 30, { calls: 6, errors: 6 }), budget)).toEqual([]);
    expect(breaches(series(0, 40, { calls: 5, errors: 5 }), budget).map((b) => b.figure)).toEqual(['errorRate']);
  });

  test('an error rate at the budget is within it', () => {
    expect(breaches(series(0, 60, { calls: 10, errors: 5 }), budget)).toEqual([]);
  });

  test('a hook p95 over budget in any interval, with the slowest figure', () => {
    const points = [point(10, { hookP95Ms: 500 }), point(20, { hookP95Ms: 3200 }), point(30)];
    expect(breaches(points, budget)).toEqual([
      { figure: 'p95Ms', value: 3200, limit: 2000, message: 'hook p95 up to 3.2 s over the last 30 s, budget 2 s' },
    ]);
  });

  test('restarts over the limit, summed over the window', () => {
    const points = series(0, 60, { restarts: 1 });
    expect(breaches(points, budget)).toEqual([
      { figure: 'restarts', value: 6, limit: 5, message: '6 restarts over the last 60 s, budget 5' },
    ]);
    expect(breaches(points.slice(1), budget)).toEqual([]);
  });

  test('lists every figure exceeded, and nothing for no points', () => {
    const found = breaches(series(0, 60, { calls: 10, errors: 9, hookP95Ms: 2500, restarts: 2 }), budget);
    expect(found.map((b) => b.figure)).toEqual(['errorRate', 'p95Ms', 'restarts']);
    expect(breaches([], budget)).toEqual([]);
  });
});

describe('sustainedBreaches', () => {
  const failing = { calls: 10, errors: 10 };

  test('a plugin failing in every interval of a whole window is over budget, sustained', () => {
    expect(sustainedBreaches(series(0, 60, failing), budget)).toEqual([
      { figure: 'errorRate', value: 1, limit: 0.5, message: 'error rate 100% over the last 60 s, budget 50%' },
    ]);
  });

  test('not before a whole window is covered by points', () => {
    expect(sustainedBreaches(series(0, 50, failing), budget)).toEqual([]);
    expect(sustainedBreaches(series(0, 60, failing).toSpliced(2, 1), budget)).toEqual([]);
  });

  test('only the last window counts: older failures do not', () => {
    const points = [...series(0, 60, failing), ...series(60, 120, { calls: 10 })];
    expect(sustainedBreaches(points, budget)).toEqual([]);
    expect(sustainedBreaches([...series(0, 60), ...series(60, 120, failing)], budget)).toHaveLength(1);
  });

  test('one interval within budget breaks the stretch, even when the window as a whole is over it', () => {
    const points = series(0, 60, failing).with(3, point(40, { calls: 10, errors: 1 }));
    expect(breaches(points, budget).map((b) => b.figure)).toEqual(['errorRate']);
    expect(sustainedBreaches(points, budget)).toEqual([]);
  });

  test('a spike of errors followed by quiet is not sustained', () => {
    const points = [point(10, { calls: 30, errors: 30 }), ...series(10, 60)];
    expect(breaches(points, budget).map((b) => b.figure)).toEqual(['errorRate']);
    expect(sustainedBreaches(points, budget)).toEqual([]);
  });

  test('needs minCalls over the window even when every interval fails', () => {
    expect(sustainedBreaches(series(0, 60, { calls: 1, errors: 1 }), budget)).toEqual([]);
    expect(sustainedBreaches(series(0, 60, { calls: 1, errors: 1 }), { ...budget, minCalls: 6 })).toHaveLength(1);
  });

  test('hooks slow in every interval, with the fastest of them as the figure', () => {
    const points = series(0, 60, { hookP95Ms: 2500 }).with(2, point(30, { hookP95Ms: 2100 }));
    expect(sustainedBreaches(points, budget)).toEqual([
      { figure: 'p95Ms', value: 2100, limit: 2000, message: 'hook p95 at least 2.1 s over the last 60 s, budget 2 s' },
    ]);
    expect(sustainedBreaches(points.with(4, point(50)), budget)).toEqual([]);
  });

  test('restarts over the limit within a covered window', () => {
    const points = series(0, 60)
      .with(1, point(20, { restarts: 3 }))
      .with(4, point(50, { restarts: 3 }));
    expect(sustainedBreaches(points, budget).map((b) => b.message)).toEqual([
      '6 restarts over the last 60 s, budget 5',
    ]);
    expect(sustainedBreaches(points.slice(1), budget)).toEqual([]);
  });

  test('follows the overridden budget', () => {
    const points = series(0, 60, { calls: 10, errors: 3 });
    expect(sustainedBreaches(points, budget)).toEqual([]);
    const strict = effectiveBudget(budget, { errorRate: 0.2, p95Ms: null, restarts: null });
    expect(sustainedBreaches(points, strict).map((b) => b.message)).toEqual([
      'error rate 30% over the last 60 s, budget 20%',
    ]);
  });
});
