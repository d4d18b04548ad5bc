import { expect, test } from 'vitest';
import { pathSelectorOf } from './owners.ts';

test('the path selector of an edge names models, sources and plugin exposures as dbt selects them', () => {
  expect(pathSelectorOf({ from: 'model.shop.orders', to: 'model.shop.customers' })).toBe('orders+,+customers');
  expect(pathSelectorOf({ from: 'source.shop.raw.orders', to: 'model.shop.stg_orders' })).toBe(
    'source:raw.orders+,+stg_orders',
  );
  expect(pathSelectorOf({ from: 'model.shop.customers', to: 'exposure.bi-exposures.revenue' })).toBe(
    'customers+,+revenue',
  );
});
