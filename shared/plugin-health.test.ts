import { describe, expect, test } from 'vitest';
import { formatMs, formatSpan, pluginHealth, type HealthInput } from './plugin-health.ts';
import type { MetricsPoint } from '@dbt-workbench/plugin-sdk/contracts/plugin-metrics.schema';
import { metricsPoint } from './testing/metrics-points.ts';

const NOW = Date.parse('2025-01-01T01:00:00Z');
const budget = { errorRate: 0.1, p95Ms: 2000, restarts: 3, minCalls: 20 };

/** A point `ago` ms before NOW with these figures (quiet otherwise). */
const point = (ago: number, figures: Partial<MetricsPoint> = {}) =>
  metricsPoint(NOW - ago, { memoryMb: 40, ...figures });

const health = (points: MetricsPoint[], over: Partial<HealthInput> = {}) =>
  pluginHealth({
    state: 'active',
    backend: { state: 'active' },
    points,
    budget,
    windowMs: 300_000,
    now: new Date(NOW),
    ...over,
  });

describe('plugin health at a glance', () => {
  test('healthy: calls without errors, p95 within budget, summed over the window', () => {
    expect(health([point(20_000, { calls: 30, p95Ms: 120 }), point(10_000, { calls: 12, p95Ms: 90 })])).toEqual({
      level: 'healthy',
      summary: '42 calls, no errors, p95 90 ms in the last 5 min',
    });
    expect(health([point(10_000, { frontendLoads: 3, frontendLoadP95Ms: 80 })]).summary).toBe(
      '3 loads in the last 5 min',
    );
  });

  test('degraded when the latest hook p95 passes the budget, healthy again once it is back under', () => {
    const slow = point(20_000, { calls: 25, p95Ms: 3200, hookP95Ms: 3200 });
    expect(health([point(30_000, { calls: 25, hookP95Ms: 50 }), slow])).toEqual({
      level: 'degraded',
      summary: 'p95 3.2 s over the 2 s budget',
    });
    expect(health([slow, point(10_000, { calls: 25, p95Ms: 60, hookP95Ms: 60 })]).level).toBe('healthy');
    // A slow route is not in the hooks' budget.
    expect(health([point(10_000, { calls: 25, p95Ms: 3200, hookP95Ms: null })]).level).toBe('healthy');
  });

  test('failing once the error rate passes the budget with enough calls; degraded at half of it', () => {
    expect(health([point(60_000, { calls: 50, errors: 6 })])).toEqual({
      level: 'failing',
      summary: '12% errors in the last 5 min',
    });
    expect(health([point(60_000, { calls: 50, errors: 3 })])).toEqual({
      level: 'degraded',
      summary: '6% errors in the last 5 min',
    });
    // Too few calls to judge a rate.
    expect(health([point(60_000, { calls: 4, errors: 2 })]).level).toBe('healthy');
  });

  test('restarts: failing over the budget, degraded within it', () => {
    expect(health([point(60_000, { restarts: 3 }), point(10_000, { restarts: 1 })])).toEqual({
      level: 'failing',
      summary: 'Restarted 4 times in the last 5 min',
    });
    expect(health([point(10_000, { restarts: 1 })], { budget: { ...budget, restarts: 0 } }).level).toBe('failing');
    expect(health([point(10_000, { restarts: 1 })]).summary).toBe('Restarted 1 time in the last 5 min');
  });

  test('frontend load or render errors make it degraded', () => {
    expect(health([point(10_000, { frontendLoads: 5, frontendErrors: 2 })])).toEqual({
      level: 'degraded',
      summary: '2 load or render errors in browsers in the last 5 min',
    });
  });

  test('points older than the window do not count', () => {
    const old = point(400_000, { calls: 50, errors: 50, restarts: 9, hookP95Ms: 9000 });
    expect(health([old, point(10_000)])).toEqual({ level: 'idle', summary: 'No calls or loads in the last 5 min' });
    expect(health([])).toEqual({ level: 'idle', summary: 'No figures yet' });
  });

  test('off when it is not running; failing when it failed to load or its backend is down', () => {
    expect(health([], { state: 'disabled' })).toEqual({ level: 'off', summary: 'Disabled' });
    expect(health([], { state: 'pending-approval' })).toEqual({
      level: 'off',
      summary: 'Waiting for an admin to approve what it asks for',
    });
    // A version an admin rejected waits for no one.
    expect(health([], { state: 'pending-approval', rejected: true })).toEqual({
      level: 'off',
      summary: 'Rejected by an admin: it never runs',
    });
    expect(health([], { state: 'error' })).toEqual({ level: 'failing', summary: 'Failed to load' });
    expect(health([point(10_000, { calls: 30 })], { backend: { state: 'error', reason: 'circuit open' } })).toEqual({
      level: 'failing',
      summary: 'Backend down: circuit open',
    });
  });
});

test('durations read naturally', () => {
  expect([formatMs(12.4), formatMs(999), formatMs(2000), formatMs(3240), formatMs(15_400)]).toEqual([
    '12 ms',
    '999 ms',
    '2 s',
    '3.2 s',
    '15 s',
  ]);
});

test('spans read naturally', () => {
  expect([100, 10_000, 90_000, 300_000, 3_600_000, 21_600_000].map(formatSpan)).toEqual([
    '100 ms',
    '10 s',
    '90 s',
    '5 min',
    '60 min',
    '6 h',
  ]);
});
