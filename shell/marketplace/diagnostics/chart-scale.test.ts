import { describe, expect, test } from 'vitest';
import { groupsOf, linePath, makeScale, niceCeiling, peak, timeTicks } from './chart-scale.ts';

const box = { width: 220, height: 120, left: 20, right: 0, top: 10, bottom: 10 };

describe('chart scaling', () => {
  test('the y axis tops out at a round number at or above the largest value', () => {
    expect([0, 0.3, 1, 7, 12, 180, 240, 3200, 48_000].map(niceCeiling)).toEqual([
      1, 0.5, 1, 10, 20, 200, 250, 5000, 50_000,
    ]);
    expect(niceCeiling(Number.NaN)).toBe(1);
  });

  test('times map across the box and values up it; values over the top are clipped', () => {
    const scale = makeScale(1000, 2000, [10, null, 40], box);
    expect(scale.yMax).toBe(50);
    expect([scale.x(1000), scale.x(1500), scale.x(2000)]).toEqual([20, 120, 220]);
    expect([scale.y(0), scale.y(25), scale.y(50), scale.y(80)]).toEqual([110, 60, 10, 10]);
    expect(makeScale(1000, 1000, [], box).x(1000)).toBe(120);
  });

  test('a line lifts its pen over intervals without a value, or bridges them for timings', () => {
    expect(
      linePath([
        { x: 0, y: 5 },
        { x: 10, y: 6.04 },
        { x: 20, y: null },
        { x: 30, y: 7 },
        { x: 40, y: 8 },
      ]),
    ).toBe('M0 5 L10 6 M30 7 L40 8');
    expect(
      linePath(
        [
          { x: 0, y: null },
          { x: 10, y: 6 },
          { x: 20, y: null },
          { x: 30, y: 7 },
        ],
        true,
      ),
    ).toBe('M10 6 L30 7');
    expect(linePath([{ x: 0, y: null }])).toBe('');
  });

  test('time labels fall on round steps within the range', () => {
    expect(timeTicks(0, 60_000, 5)).toEqual({ step: 15_000, ticks: [0, 15_000, 30_000, 45_000, 60_000] });
    expect(timeTicks(7_000, 3_600_000, 6).step).toBe(900_000);
    expect(timeTicks(7_000, 3_600_000, 6).ticks[0]).toBe(900_000);
  });

  test('long histories are drawn as runs of points, each at its highest value', () => {
    expect(groupsOf([1, 2, 3, 4, 5, 6, 7], 3)).toEqual([[1, 2, 3], [4, 5, 6], [7]]);
    expect(groupsOf([1, 2], 90)).toEqual([[1], [2]]);
    expect(peak([3, null, 9, 4])).toBe(9);
    expect(peak([null, null])).toBeNull();
  });
});
