import { describe, expect, test } from 'vitest';
import type { Extension } from '../../shared/api.schema.ts';
import { sortContributions } from './slots.tsx';

const widget = (plugin: string, id: string, order?: number): Extension => ({
  slot: 'dashboard.widget',
  id,
  module: './W',
  ...(order === undefined ? {} : { order }),
  plugin,
  pluginDisplayName: plugin,
  pluginVersion: '1.0.0',
  pluginConfig: {},
  uiTrust: 'in-page',
  pluginCapabilities: [],
});

describe('sortContributions', () => {
  test('orders by `order` (missing counts as 0), then plugin name, then id', () => {
    const sorted = sortContributions([widget('b', 'x'), widget('a', 'y', 5), widget('a', 'x'), widget('c', 'z', -1)]);
    expect(sorted.map((e) => `${e.plugin}:${e.id}`)).toEqual(['c:z', 'a:x', 'b:x', 'a:y']);
  });

  test('does not change its input', () => {
    const input = [widget('b', 'x'), widget('a', 'x')];
    sortContributions(input);
    expect(input.map((e) => e.plugin)).toEqual(['b', 'a']);
  });
});
