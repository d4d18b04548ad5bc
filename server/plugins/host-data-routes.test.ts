import { describe, expect, test } from 'vitest';
import { hostDataRule } from './host-data-routes.ts';

describe('hostDataRule', () => {
  test('matches each allowed call to its capability', () => {
    expect(hostDataRule('GET', 'models')?.capability).toBe('read-metadata');
    expect(hostDataRule('GET', 'nodes/model.jaffle_shop.orders')?.capability).toBe('read-metadata');
    expect(hostDataRule('POST', 'sql/query')?.capability).toBe('access-sql-workspace');
  });

  test('refuses everything else: other methods, deeper paths, admin and write routes', () => {
    expect(hostDataRule('POST', 'models')).toBeUndefined();
    expect(hostDataRule('GET', 'nodes/a/b')).toBeUndefined();
    expect(hostDataRule('GET', 'sql/saved')).toBeUndefined();
    expect(hostDataRule('POST', 'runs')).toBeUndefined();
    expect(hostDataRule('GET', 'extensions')).toBeUndefined();
  });
});
