import { describe, expect, test } from 'vitest';
import { testRecord } from './test-records.ts';
import { changedPlugins } from './registry.ts';

const record = testRecord;

describe('changedPlugins', () => {
  test('reports added, removed and changed plugins, and nothing for identical lists', () => {
    const before = [record('a'), record('b'), record('c')];
    expect(
      changedPlugins(
        before,
        before.map((r) => ({ ...r })),
      ),
    ).toEqual([]);
    const after = [record('a'), record('b', { revision: '1.0.0-bbbbbbbbbb' }), record('d')];
    expect(changedPlugins(before, after)).toEqual(['b', 'c', 'd']);
  });

  test('a new state or reason counts as a change', () => {
    expect(changedPlugins([record('a')], [record('a', { state: 'invalid', reason: 'broken' })])).toEqual(['a']);
    expect(
      changedPlugins(
        [record('a', { state: 'invalid', reason: 'x' })],
        [record('a', { state: 'invalid', reason: 'y' })],
      ),
    ).toEqual(['a']);
  });
});
