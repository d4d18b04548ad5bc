import { describe, expect, test } from 'vitest';
import { createDispatcher, deliveryWaves, dependencyLevels, type EventSubscriber } from './dispatcher.ts';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('ordering rules', () => {
  test('waves go by dependency level, then priority; equal ones share a wave', () => {
    const s = (plugin: string, level: number, priority: number) => ({ plugin, level, priority });
    const waves = deliveryWaves([s('d', 1, 0), s('a', 0, 0), s('c', 0, 5), s('b', 0, 0)]);
    expect(waves.map((w) => w.map((x) => x.plugin))).toEqual([['a', 'b'], ['c'], ['d']]);
  });

  test('dependency levels follow the longest chain; a cycle does not loop', () => {
    const levels = dependencyLevels(
      new Map([
        ['a', []],
        ['b', ['a']],
        ['c', ['b', 'a']],
        ['x', ['y']],
        ['y', ['x']],
      ]),
    );
    expect(Object.fromEntries(levels)).toMatchObject({ a: 0, b: 1, c: 2 });
  });
});

describe('createDispatcher', () => {
  test('per plugin in dispatch order; a slow or failing plugin holds back only what must wait for it', async () => {
    const log: string[] = [];
    const sub = (plugin: string, level: number, ms: number, fail = false): EventSubscriber => ({
      plugin,
      level,
      priority: 0,
      async deliver() {
        log.push(`${plugin}+`);
        await sleep(ms);
        log.push(`${plugin}-`);
        if (fail) throw new Error(`${plugin} failed`);
      },
    });
    const dispatcher = createDispatcher();
    const first = dispatcher.dispatch([sub('slow', 0, 40, true), sub('fast', 0, 1), sub('dependent', 1, 1)]);
    const second = dispatcher.dispatch([sub('slow', 0, 1), sub('fast', 0, 1)]);
    const [one, two] = await Promise.all([first, second]);
    expect(one.find((o) => o.plugin === 'slow')).toMatchObject({ ok: false, error: 'slow failed' });
    expect(
      one
        .filter((o) => o.ok)
        .map((o) => o.plugin)
        .sort(),
    ).toEqual(['dependent', 'fast']);
    expect(two.every((o) => o.ok)).toBe(true);
    // fast got event 2 without waiting for slow's event 1; slow got 2 only after 1; dependent waited for its wave.
    expect(log.indexOf('fast+', log.indexOf('fast-') + 1)).toBeLessThan(log.indexOf('slow-'));
    expect(log.lastIndexOf('slow+')).toBeGreaterThan(log.indexOf('slow-'));
    expect(log.indexOf('dependent+')).toBeGreaterThan(log.indexOf('slow-'));
  });
});
