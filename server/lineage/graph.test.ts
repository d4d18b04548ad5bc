import { describe, expect, it } from 'vitest';
import { classic, fixtureGraph, fixtureIndex } from './fixtures.ts';
import { buildProjectGraph, walk, type IndexNode } from './graph.ts';

const node = (uniqueId: string, parents: string[], children: string[], extra: Partial<IndexNode> = {}): IndexNode => ({
  uniqueId,
  resourceType: uniqueId.split('.')[0] ?? 'model',
  name: uniqueId.split('.').at(-1) ?? uniqueId,
  parents,
  children,
  ...extra,
});

describe('buildProjectGraph on the jaffle_shop classic manifest', () => {
  const graph = fixtureGraph('classic');

  it('draws models and seeds, not tests or operations', () => {
    const types = new Set([...graph.nodes.values()].map((n) => n.resourceType));
    expect(types).toEqual(new Set(['model', 'seed']));
    expect(graph.nodes.size).toBe(39);
    expect(graph.types).toContainEqual({ resourceType: 'test', count: 20 });
    expect(graph.types).toContainEqual({ resourceType: 'operation', count: 2 });
  });

  it('knows the parents and children of customers, orders and stg_orders', () => {
    expect(graph.parents.get(classic('customers'))).toEqual([
      classic('stg_customers'),
      classic('stg_orders'),
      classic('stg_payments'),
    ]);
    expect(graph.children.get(classic('customers'))).toEqual([]);
    expect(graph.children.get(classic('stg_orders'))).toEqual([classic('customers'), classic('orders')]);
    expect(graph.parents.get(classic('stg_orders'))).toEqual([classic('raw_orders', 'seed')]);
    expect(graph.children.get(classic('orders'))).toEqual([classic('daily_orders')]);
  });

  it('counts tests on the node they are attached to, with run status and materialization', () => {
    const orders = graph.nodes.get(classic('orders'));
    // 9 column tests on orders plus the relationships test to customers, which is attached to orders.
    expect(orders).toMatchObject({ name: 'orders', testCount: 10, testFailures: 0, status: 'success' });
    expect(orders?.materialization).toBe('table');
    expect(graph.nodes.get(classic('customers'))).toMatchObject({ testCount: 2, tags: ['lightdash'] });
    expect(graph.nodes.get(classic('raw_orders', 'seed'))).toMatchObject({ testCount: 0, resourceType: 'seed' });
  });

  it('never changes the index it reads', () => {
    const index = fixtureIndex('classic');
    const before = structuredClone(index);
    buildProjectGraph(index);
    expect(index).toEqual(before);
  });
});

describe('buildProjectGraph on small indexes', () => {
  it('counts failing and erroring tests as failures, and tests with no attached node on every parent', () => {
    const graph = buildProjectGraph([
      node('model.p.a', [], ['model.p.b', 'test.p.t1', 'test.p.t3']),
      node('model.p.b', ['model.p.a'], ['test.p.t2', 'test.p.t3']),
      node('test.p.t1', ['model.p.a'], [], { status: 'fail', attachedNode: 'model.p.a' }),
      node('test.p.t2', ['model.p.b'], [], { status: 'error' }),
      node('test.p.t3', ['model.p.a', 'model.p.b'], [], { status: 'pass' }),
    ]);
    expect(graph.nodes.get('model.p.a')).toMatchObject({ testCount: 2, testFailures: 1 });
    expect(graph.nodes.get('model.p.b')).toMatchObject({ testCount: 2, testFailures: 1 });
  });

  it('counts tests an index nests in its nodes', () => {
    const graph = buildProjectGraph([
      node('model.p.a', [], [], { tests: [{ status: 'pass' }, { status: 'fail' }, { status: 'warn' }] }),
    ]);
    expect(graph.nodes.get('model.p.a')).toMatchObject({ testCount: 3, testFailures: 1 });
  });

  it('takes edges from child lists too, and drops edges to nodes it does not draw', () => {
    const graph = buildProjectGraph([
      node('source.p.raw.orders', [], ['model.p.a']),
      node('model.p.a', [], ['macro.p.m']),
      node('exposure.p.dash', ['model.p.a', 'model.p.missing'], []),
    ]);
    expect(graph.parents.get('model.p.a')).toEqual(['source.p.raw.orders']);
    expect(graph.children.get('model.p.a')).toEqual(['exposure.p.dash']);
    expect(graph.parents.get('exposure.p.dash')).toEqual(['model.p.a']);
  });

  it('draws metrics and semantic models of a dbt 1.12 project', () => {
    const graph = fixtureGraph('jaffleShop');
    expect(graph.nodes.get('metric.jaffle_shop.revenue')?.resourceType).toBe('metric');
    expect(graph.parents.get('semantic_model.jaffle_shop.orders')).toEqual(['model.jaffle_shop.orders']);
    expect(graph.children.get('semantic_model.jaffle_shop.orders')).toContain('metric.jaffle_shop.order_total');
    expect(graph.parents.get('metric.jaffle_shop.revenue')).toEqual(['semantic_model.jaffle_shop.order_items']);
  });
});

describe('walk', () => {
  const graph = fixtureGraph('classic');

  it('goes N levels and records each node at its nearest distance', () => {
    const up = walk([classic('customers')], graph.parents, 1);
    expect([...up.keys()].sort()).toEqual(
      [classic('customers'), classic('stg_customers'), classic('stg_orders'), classic('stg_payments')].sort(),
    );
    const all = walk([classic('customers')], graph.parents, Infinity);
    expect(all.get(classic('raw_orders', 'seed'))).toBe(2);
    expect(walk([classic('customers')], graph.parents, 0)).toEqual(new Map([[classic('customers'), 0]]));
  });
});
