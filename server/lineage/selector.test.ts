import { describe, expect, it } from 'vitest';
import { classic, fixtureGraph } from './fixtures.ts';
import { evaluateSelector, parseAtom, parseSelector, type Selector } from './selector.ts';

function parsed(text: string): Selector {
  const result = parseSelector(text);
  if (!result.ok) throw new Error(result.problems.join('; '));
  return result.selector;
}

describe('parseSelector', () => {
  it('reads graph operators with and without depths', () => {
    expect(parseAtom('+orders')).toMatchObject({ method: 'name', value: 'orders', parents: Infinity, children: 0 });
    expect(parseAtom('orders+')).toMatchObject({ value: 'orders', parents: 0, children: Infinity });
    expect(parseAtom('2+orders+1')).toMatchObject({ value: 'orders', parents: 2, children: 1 });
    expect(parseAtom('orders')).toMatchObject({ parents: 0, children: 0, at: false });
    expect(parseAtom('@stg_orders')).toMatchObject({ value: 'stg_orders', at: true });
  });

  it('reads methods, wildcards, unions and intersections', () => {
    expect(parseAtom('tag:nightly')).toMatchObject({ method: 'tag', value: 'nightly' });
    expect(parseAtom('+tag:finance+2')).toMatchObject({ method: 'tag', parents: Infinity, children: 2 });
    expect(parseAtom('source:raw.orders')).toMatchObject({ method: 'source', value: 'raw.orders' });
    expect(parseAtom('resource_type:seed')).toMatchObject({ method: 'resource_type', value: 'seed' });
    expect(parseAtom('stg_*')).toMatchObject({ method: 'name', value: 'stg_*' });
    const selector = parsed('  +customers   tag:lightdash,orders+ ');
    expect(selector.map((term) => term.map((atom) => atom.text))).toEqual([
      ['+customers'],
      ['tag:lightdash', 'orders+'],
    ]);
  });

  it.each([
    ['foo:bar', 'unknown method "foo"'],
    ['++orders', 'Selector "++orders" is not valid'],
    ['orders+x', 'Selector "orders+x" is not valid'],
    ['tag:', '"tag:" needs a value'],
    ['@+orders', '@ cannot be combined'],
    ['or$ders', 'may only hold letters'],
    ['tag:a,,tag:b', 'a comma must join two selectors'],
    ['   ', 'The selector is empty'],
  ])('refuses %j, naming the selector and what is wrong', (text, message) => {
    const result = parseSelector(text);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.problems.join(' ')).toContain(message);
  });

  it('reports every bad selector of a string, not just the first', () => {
    const result = parseSelector('orders bad:x +customers other:y');
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.problems).toHaveLength(2);
      expect(result.problems[0]).toContain('"bad:x"');
      expect(result.problems[1]).toContain('"other:y"');
    }
  });
});

describe('evaluateSelector on the jaffle_shop classic manifest', () => {
  const graph = fixtureGraph('classic');
  const ids = (text: string) => [...evaluateSelector(graph, parsed(text)).keys()].sort();
  const staging = [classic('stg_customers'), classic('stg_orders'), classic('stg_payments')];
  const seeds = ['raw_customers', 'raw_orders', 'raw_payments'].map((n) => classic(n, 'seed'));

  it('+customers is customers and every ancestor', () => {
    expect(ids('+customers')).toEqual([classic('customers'), ...staging, ...seeds].sort());
  });

  it('orders+ is orders and every descendant', () => {
    expect(ids('orders+')).toEqual([classic('daily_orders'), classic('orders')]);
  });

  it('1+customers stops after one level up; 1+stg_orders+1 goes one level each way', () => {
    expect(ids('1+customers')).toEqual([classic('customers'), ...staging].sort());
    expect(ids('1+stg_orders+1')).toEqual(
      [classic('customers'), classic('orders'), classic('stg_orders'), classic('raw_orders', 'seed')].sort(),
    );
  });

  it('tag:, wildcards, resource_type: and package: pick their nodes', () => {
    expect(ids('tag:lightdash')).toEqual([classic('customers'), classic('orders')]);
    expect(ids('stg_*')).toEqual(staging);
    expect(ids('resource_type:seed')).toEqual(seeds);
    expect(ids('package:jaffle_shop').length).toBe(9);
  });

  it('unions space-separated terms and intersects comma-separated atoms', () => {
    expect(ids('customers daily_orders')).toEqual([classic('customers'), classic('daily_orders')]);
    expect(ids('tag:lightdash,+daily_orders')).toEqual([classic('orders')]);
  });

  it('@stg_orders adds the ancestors of every descendant', () => {
    expect(ids('@stg_orders')).toEqual(
      [classic('customers'), classic('daily_orders'), classic('orders'), ...staging, ...seeds].sort(),
    );
  });

  it('ranks nodes by their distance from what the selector named', () => {
    const ranks = evaluateSelector(graph, parsed('+customers'));
    expect(ranks.get(classic('customers'))).toBe(0);
    expect(ranks.get(classic('stg_orders'))).toBe(1);
    expect(ranks.get(classic('raw_orders', 'seed'))).toBe(2);
  });

  it('selects nothing for a name the project does not have', () => {
    expect(ids('+no_such_model')).toEqual([]);
  });
});
