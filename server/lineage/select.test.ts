import { describe, expect, it } from 'vitest';
import { classic, fixtureGraph } from './fixtures.ts';
import { selectSubgraph, type SelectOptions } from './select.ts';
import { parseSelector, type Selector } from './selector.ts';

const defaults: SelectOptions = { up: 2, down: 2, limit: 400 };

function selector(text: string): Selector {
  const result = parseSelector(text);
  if (!result.ok) throw new Error(result.problems.join('; '));
  return result.selector;
}

describe('selectSubgraph on the jaffle_shop classic manifest', () => {
  const graph = fixtureGraph('classic');
  const ids = (options: Partial<SelectOptions>) =>
    selectSubgraph(graph, { ...defaults, ...options })
      .nodes.map((n) => n.id)
      .sort();

  it('focuses on a node with N levels up and M down, with the edges among them', () => {
    const result = selectSubgraph(graph, { ...defaults, focus: classic('orders'), up: 1, down: 1 });
    expect(result.nodes.map((n) => n.id).sort()).toEqual(
      [classic('daily_orders'), classic('orders'), classic('stg_orders'), classic('stg_payments')].sort(),
    );
    expect(result.edges).toEqual([
      { source: classic('orders'), target: classic('daily_orders') },
      { source: classic('stg_orders'), target: classic('orders') },
      { source: classic('stg_payments'), target: classic('orders') },
    ]);
    expect(result).toMatchObject({ truncated: false, total: 4, tooLarge: false });
  });

  it('defaults to 2 levels each way and goes further when asked', () => {
    expect(ids({ focus: classic('customers') })).toHaveLength(7);
    expect(ids({ focus: classic('raw_orders', 'seed'), up: 0, down: 1 })).toEqual(
      [classic('raw_orders', 'seed'), classic('stg_orders')].sort(),
    );
    expect(ids({ focus: classic('raw_orders', 'seed'), up: 0, down: 3 })).toContain(classic('daily_orders'));
    expect(ids({ focus: classic('raw_orders', 'seed'), up: 0, down: 2 })).not.toContain(classic('daily_orders'));
  });

  it('narrows the focus by resource type but keeps the focus itself', () => {
    expect(ids({ focus: classic('customers'), types: ['seed'] })).toEqual(
      [classic('customers'), ...['raw_customers', 'raw_orders', 'raw_payments'].map((n) => classic(n, 'seed'))].sort(),
    );
  });

  it('links nodes across the ones the type filter hid', () => {
    const result = selectSubgraph(graph, { ...defaults, focus: classic('customers'), types: ['seed'] });
    expect(result.edges).toContainEqual({ source: classic('raw_orders', 'seed'), target: classic('customers') });
    expect(result.edges).toHaveLength(3);
  });

  it('selects with a dbt selector, intersected with the focus when both are given', () => {
    expect(ids({ selector: selector('orders+') })).toEqual([classic('daily_orders'), classic('orders')]);
    expect(ids({ focus: classic('stg_orders'), selector: selector('tag:lightdash') })).toEqual(
      [classic('customers'), classic('orders'), classic('stg_orders')].sort(),
    );
  });

  it('says so when a selector matches nothing', () => {
    const result = selectSubgraph(graph, { ...defaults, selector: selector('no_such_model+') });
    expect(result).toMatchObject({ nodes: [], edges: [], total: 0, truncated: false });
    expect(result.message).toContain('No node matches');
  });

  it('cuts to the limit, keeping the nodes nearest the focus, and says how many there were', () => {
    const result = selectSubgraph(graph, { ...defaults, focus: classic('customers'), limit: 4 });
    expect(result).toMatchObject({ truncated: true, total: 7, tooLarge: false });
    expect(result.nodes.map((n) => n.id).sort()).toEqual(
      [classic('customers'), classic('stg_customers'), classic('stg_orders'), classic('stg_payments')].sort(),
    );
    expect(result.edges.every((e) => result.nodes.some((n) => n.id === e.source))).toBe(true);
    expect(result.message).toContain('out of 7');
  });

  it('shows the whole project without a focus when it fits', () => {
    const result = selectSubgraph(graph, defaults);
    expect(result).toMatchObject({ total: 39, truncated: false, tooLarge: false });
    expect(result.nodes).toHaveLength(39);
    expect(result.edges).toContainEqual({ source: classic('stg_orders'), target: classic('customers') });
  });

  it('refuses the whole project when it does not fit, rather than cutting it', () => {
    const result = selectSubgraph(graph, { ...defaults, limit: 20 });
    expect(result).toMatchObject({ nodes: [], tooLarge: true, total: 39 });
    expect(result.message).toMatch(/39 nodes, more than the 20 .* Focus on a node/);
  });
});

describe('selectSubgraph on a dbt 1.12 project with metrics and semantic models', () => {
  const graph = fixtureGraph('jaffleShop');

  it('leaves metrics and semantic models out of the whole-project view', () => {
    const types = new Set(selectSubgraph(graph, defaults).nodes.map((n) => n.resourceType));
    expect(types).toEqual(new Set(['model', 'source', 'seed']));
  });

  it('links a model to its metrics when semantic models are filtered out', () => {
    const result = selectSubgraph(graph, {
      ...defaults,
      focus: 'model.jaffle_shop.order_items',
      types: ['model', 'metric'],
    });
    expect(result.nodes.some((n) => n.resourceType === 'semantic_model')).toBe(false);
    expect(result.edges).toContainEqual({
      source: 'model.jaffle_shop.order_items',
      target: 'metric.jaffle_shop.revenue',
    });
  });
});

describe('selectSubgraph on the synthetic 4,122-node manifest', () => {
  const graph = fixtureGraph('synthetic');
  const models = [...graph.nodes.values()].filter((n) => n.resourceType === 'model');
  const mart = models.find((n) => graph.children.get(n.id)?.some((c) => c.startsWith('exposure.')));

  it('refuses the whole project, which is larger than the cap', () => {
    const result = selectSubgraph(graph, defaults);
    expect(result.tooLarge).toBe(true);
    expect(result.total).toBeGreaterThan(1000);
  });

  it('returns a focused neighbourhood within the cap', () => {
    if (!mart) throw new Error('the synthetic project has no model feeding an exposure');
    const result = selectSubgraph(graph, { ...defaults, focus: mart.id, up: 3, down: 1 });
    expect(result.nodes.length).toBeGreaterThan(1);
    expect(result.nodes.length).toBeLessThanOrEqual(400);
    expect(result.nodes.some((n) => n.resourceType === 'exposure')).toBe(true);
  });

  it('cuts a large selector answer to the cap and reports the total', () => {
    const result = selectSubgraph(graph, { ...defaults, selector: selector('resource_type:model+') });
    expect(result.nodes).toHaveLength(400);
    expect(result).toMatchObject({ truncated: true, tooLarge: false });
    expect(result.total).toBeGreaterThan(1000);
    const kept = new Set(result.nodes.map((n) => n.id));
    expect(result.edges.every((e) => kept.has(e.source) && kept.has(e.target))).toBe(true);
  });

  it('counts failing tests from the run results', () => {
    expect(models.some((n) => n.testFailures > 0)).toBe(true);
  });
});
