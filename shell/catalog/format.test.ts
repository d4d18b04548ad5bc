import { describe, expect, test } from 'vitest';
import { duration, nodePath, paragraphs, timeAgo, typeCount } from './format.ts';

describe('catalog formatting', () => {
  test('node pages by type, with the dotted unique id encoded', () => {
    expect(nodePath('shop', 'model', 'model.shop.orders')).toBe('/w/shop/models/model.shop.orders');
    expect(nodePath('shop', 'source', 'source.shop.raw/x y')).toBe('/w/shop/sources/source.shop.raw%2Fx%20y');
    expect(nodePath('shop', 'seed', 'seed.shop.s')).toBe('/w/shop/seeds/seed.shop.s');
    expect(nodePath('shop', 'snapshot', 'snapshot.shop.s')).toBe('/w/shop/models/snapshot.shop.s');
    expect(nodePath('shop', 'metric', 'metric.shop.m')).toBe('/w/shop/nodes/metric.shop.m');
  });

  test('descriptions split into paragraphs on blank lines, as plain text', () => {
    expect(paragraphs('One.\nStill one.\n\n  Two <b>bold</b>  \r\n\r\n\n')).toEqual([
      'One.\nStill one.',
      'Two <b>bold</b>',
    ]);
    expect(paragraphs('   ')).toEqual([]);
  });

  test('durations and ages read naturally', () => {
    expect([duration(0.25), duration(2.371), duration(42.3), duration(200), duration(null)]).toEqual([
      '250 ms',
      '2.37 s',
      '42.3 s',
      '3 min 20 s',
      '',
    ]);
    const now = new Date('2026-01-10T12:00:00Z');
    expect(timeAgo('2026-01-10T11:59:30Z', now)).toBe('just now');
    expect(timeAgo('2026-01-10T11:15:00Z', now)).toBe('45 min ago');
    expect(timeAgo('2026-01-10T11:00:00Z', now)).toBe('1 h ago');
    expect(timeAgo('2026-01-08T12:00:00Z', now)).toBe('2 days ago');
    expect(timeAgo('2025-06-01T00:00:00Z', now)).toBe('2025-06-01');
  });
});

test('counts of resource types read as English', () => {
  expect(typeCount(2, 'saved_query')).toBe('2 saved queries');
  expect(typeCount(1, 'saved_query')).toBe('1 saved query');
  expect(typeCount(3, 'analysis')).toBe('3 analyses');
  expect(typeCount(2, 'semantic_model')).toBe('2 semantic models');
  expect(typeCount(0, 'model')).toBe('0 models');
  expect(typeCount(2, 'unit_test')).toBe('2 unit tests');
});
