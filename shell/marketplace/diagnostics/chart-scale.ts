/** Pure helpers that place a time series on a small SVG chart. */

/** The drawing area inside an SVG of `width` × `height`: margins leave room for the axis labels. */
export interface ChartBox {
  width: number;
  height: number;
  left: number;
  right: number;
  top: number;
  bottom: number;
}

/** A round number at or above `max` for the top of the y axis: 1, 2, 2.5 or 5 times a power of ten. */
export function niceCeiling(max: number): number {
  if (!(max > 0)) return 1;
  const power = 10 ** Math.floor(Math.log10(max));
  const step = [1, 2, 2.5, 5, 10].find((s) => s * power >= max * (1 - 1e-9))!;
  return step * power;
}

export interface Scale {
  /** Time (ms since epoch) to x, value to y (0 at the bottom of the box). */
  x(t: number): number;
  y(value: number): number;
  yMax: number;
}

/** Maps `[t0, t1]` across the box and `[0, niceCeiling(max of values)]` up it; a single time sits in the middle. */
export function makeScale(t0: number, t1: number, values: readonly (number | null)[], box: ChartBox): Scale {
  const yMax = niceCeiling(Math.max(0, ...values.filter((v): v is number => v !== null)));
  const innerW = box.width - box.left - box.right;
  const innerH = box.height - box.top - box.bottom;
  const span = t1 - t0;
  return {
    x: (t) => box.left + (span > 0 ? ((t - t0) / span) * innerW : innerW / 2),
    y: (value) => box.top + innerH - (Math.min(value, yMax) / yMax) * innerH,
    yMax,
  };
}

const round = (n: number) => Math.round(n * 10) / 10;

/**
 * An SVG path through the points. Over nulls (intervals with nothing to measure) it lifts the pen, or with
 * `bridge` draws on to the next measured point (for timings, which exist only when something was timed).
 */
export function linePath(points: readonly { x: number; y: number | null }[], bridge = false): string {
  let path = '';
  let pen = false;
  for (const p of points) {
    if (p.y === null) {
      pen &&= bridge;
      continue;
    }
    path += `${path ? ' ' : ''}${pen ? 'L' : 'M'}${round(p.x)} ${round(p.y)}`;
    pen = true;
  }
  return path;
}

const STEPS = [1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 10800, 21600].map((s) => s * 1000);

/** Times for the x axis labels: multiples of a round step (1 s … 6 h) within `[t0, t1]`, at most `most` of them. */
export function timeTicks(t0: number, t1: number, most: number): { step: number; ticks: number[] } {
  const span = Math.max(t1 - t0, 1);
  const step = STEPS.find((s) => span / s <= most - 1) ?? STEPS.at(-1)!;
  const ticks: number[] = [];
  for (let t = Math.ceil(t0 / step) * step; t <= t1; t += step) ticks.push(t);
  return { step, ticks };
}

/** Splits `items` into at most `most` runs of consecutive items of (nearly) equal length, in order. */
export function groupsOf<T>(items: readonly T[], most: number): T[][] {
  const size = Math.max(1, Math.ceil(items.length / most));
  const groups: T[][] = [];
  for (let i = 0; i < items.length; i += size) groups.push(items.slice(i, i + size));
  return groups;
}

/** The highest of the values, ignoring nulls; null when there is none. */
export function peak(values: readonly (number | null)[]): number | null {
  const measured = values.filter((v): v is number => v !== null);
  return measured.length > 0 ? Math.max(...measured) : null;
}
