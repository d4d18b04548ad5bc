import { expect, test } from 'vitest';
import { exposuresOf } from './exposures.ts';

test('each dashboard is an exposure tagged bi, fed by the models it reads that the project has', () => {
  const models = [
    { uniqueId: 'model.shop.orders', name: 'orders' },
    { uniqueId: 'model.shop.customers', name: 'customers' },
  ];
  expect(exposuresOf([{ name: 'revenue', description: 'Revenue', reads: ['orders', 'gone'] }], models)).toEqual({
    nodes: [{ id: 'revenue', name: 'revenue', resourceType: 'exposure', tags: ['bi'], description: 'Revenue' }],
    edges: [{ source: 'model.shop.orders', target: 'revenue' }],
  });
});
