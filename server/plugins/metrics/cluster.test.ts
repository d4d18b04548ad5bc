import { describe, expect, test } from 'vitest';
import type { MetricsPoint } from '@dbt-workbench/plugin-sdk/contracts/plugin-metrics.schema';
import { metricsPoint } from '../../../shared/testing/metrics-points.ts';
import { figuresOf, mergeHistory, mergePoints, onGrid, totalOf } from './cluster.ts';

/** A quiet point of a 1-second interval ending at `at`, with `extra` figures. */
const point = (at: string, extra: Partial<MetricsPoint> = {}): MetricsPoint =>
  metricsPoint(0, { intervalMs: 1000, ...extra, at });

describe("adding up the servers' cost history", () => {
  test('a point is moved to the nearest end of an interval on the wall clock', () => {
    expect(onGrid(point('2026-01-01T00:00:09.996Z')).at).toBe('2026-01-01T00:00:10.000Z');
    expect(onGrid(point('2026-01-01T00:00:10.004Z')).at).toBe('2026-01-01T00:00:10.000Z');
  });

  test("one interval's points add their counts and memory, and keep the highest percentile", () => {
    const a = point('t', { calls: 10, errors: 9, restarts: 1, p95Ms: 40, hookP95Ms: 30, memoryMb: 50.25 });
    const b = point('t', { calls: 5, errors: 0, p95Ms: 900, hookP95Ms: null, memoryMb: 60, frontendLoads: 2 });
    expect(mergePoints([a, b])).toEqual(
      point('t', {
        calls: 15,
        errors: 9,
        restarts: 1,
        p95Ms: 900,
        hookP95Ms: 30,
        memoryMb: 110.3,
        frontendLoads: 2,
      }),
    );
    expect(mergePoints([point('t'), point('t')]).memoryMb).toBeNull();
  });

  test("the cluster's history has one point per interval, oldest first, from points in any order", () => {
    const history = mergeHistory([
      point('2026-01-01T00:00:02.000Z', { calls: 1 }),
      point('2026-01-01T00:00:01.000Z', { calls: 2 }),
      point('2026-01-01T00:00:02.000Z', { calls: 3 }),
    ]);
    expect(history.map((p) => [p.at, p.calls])).toEqual([
      ['2026-01-01T00:00:01.000Z', 2],
      ['2026-01-01T00:00:02.000Z', 4],
    ]);
  });

  test("each server's figures over a span, and the total over servers", () => {
    const a = figuresOf([
      point('2026-01-01T00:00:01.000Z', { calls: 4, errors: 1, p95Ms: 20, memoryMb: 30 }),
      point('2026-01-01T00:00:02.000Z', { calls: 6, errors: 3, p95Ms: 80, memoryMb: 32 }),
    ]);
    expect(a).toEqual({
      points: 2,
      lastPointAt: '2026-01-01T00:00:02.000Z',
      calls: 10,
      errors: 4,
      restarts: 0,
      p95Ms: 80,
      memoryMb: 32,
      frontendLoads: 0,
      frontendErrors: 0,
    });
    const none = figuresOf([]);
    expect(none).toMatchObject({ points: 0, lastPointAt: null, calls: 0, p95Ms: null, memoryMb: null });
    const b = figuresOf([point('2026-01-01T00:00:03.000Z', { calls: 1, restarts: 2, p95Ms: 5, memoryMb: 10 })]);
    expect(totalOf([{ figures: a }, { figures: b }, { figures: none }])).toEqual({
      points: 3,
      lastPointAt: '2026-01-01T00:00:03.000Z',
      calls: 11,
      errors: 4,
      restarts: 2,
      p95Ms: 80,
      memoryMb: 42,
      frontendLoads: 0,
      frontendErrors: 0,
    });
  });
});
