import { describe, expect, test } from 'vitest';
import { createHookPoint } from './hook-point.ts';

describe('a concurrent hook point', () => {
  test('runs its handlers at once, keeps their outcomes in order and records a failure without stopping others', async () => {
    const point = createHookPoint<void, string>('artifactLoad', { concurrent: true });
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    // The first handler can only finish once the second has started: run one after the other, they never would.
    point.register({ owner: 'first', handle: async () => (await released, 'first done') });
    point.register({ owner: 'second', handle: () => (release(), 'second done') });
    point.register({
      owner: 'broken',
      handle: () => {
        throw new Error('no patches today');
      },
    });
    const outcomes = await point.run();
    expect(outcomes.map((o) => [o.owner, o.ok, o.result ?? o.error])).toEqual([
      ['first', true, 'first done'],
      ['second', true, 'second done'],
      ['broken', false, 'no patches today'],
    ]);
  });

  test('a sequential one runs each handler after the previous finished, by priority', async () => {
    const point = createHookPoint<void, void>('runStart');
    const order: string[] = [];
    point.register({ owner: 'late', priority: 2, handle: () => void order.push('late') });
    point.register({
      owner: 'early',
      priority: 1,
      handle: async () => {
        await new Promise((resolve) => setTimeout(resolve, 20));
        order.push('early');
      },
    });
    await point.run();
    expect(order).toEqual(['early', 'late']);
  });
});
