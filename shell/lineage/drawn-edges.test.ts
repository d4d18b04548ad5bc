import { expect, test } from 'vitest';
import type { LineageGraph, LineageNode } from '@dbt-workbench/plugin-sdk/contracts/lineage.schema';
import { drawnEdges, selectedEdgeProps } from './drawn-edges.ts';
import { overlayView } from './overlay-view.ts';

const node = (id: string, plugin?: string): LineageNode => ({
  id,
  name: id.split('.').at(-1)!,
  resourceType: id.split('.')[0]!,
  package: 'shop',
  materialization: null,
  status: null,
  testCount: 0,
  testFailures: 0,
  tags: [],
  ...(plugin ? { plugin } : {}),
});

const graph: LineageGraph = {
  workspace: 'shop',
  focus: null,
  nodes: [
    node('model.shop.orders'),
    node('model.shop.customers'),
    node('exposure.bi-exposures.revenue', 'bi-exposures'),
  ],
  edges: [
    { source: 'model.shop.orders', target: 'model.shop.customers' },
    { source: 'model.shop.customers', target: 'exposure.bi-exposures.revenue' },
  ],
  overlays: {
    'lineage-hints': {
      nodeBadges: [],
      annotations: [],
      extraEdges: [{ source: 'model.shop.customers', target: 'model.shop.orders', label: 'reverse ETL' }],
    },
  },
  overlayProblems: [],
  truncated: false,
  total: 3,
  tooLarge: false,
  types: [],
};

test("the project's edges, a plugin node's edges and an overlay's extra edges each say who added them", () => {
  const edges = drawnEdges(graph, overlayView(graph));
  expect(edges.map((e) => [e.id, e.addedBy ?? null, e.extra])).toEqual([
    ['model.shop.orders->model.shop.customers', null, false],
    ['model.shop.customers->exposure.bi-exposures.revenue', 'bi-exposures', false],
    ['extra:lineage-hints:0', 'lineage-hints', true],
  ]);
  expect(edges[2]!.label).toBe('reverse ETL');
});

test('an edge action gets the ends and the plugin, nothing of the canvas', () => {
  const [own, plugin] = drawnEdges(graph, overlayView(graph));
  expect(selectedEdgeProps(own!)).toEqual({ from: 'model.shop.orders', to: 'model.shop.customers' });
  expect(selectedEdgeProps(plugin!)).toEqual({
    from: 'model.shop.customers',
    to: 'exposure.bi-exposures.revenue',
    addedBy: 'bi-exposures',
  });
});
