import { describe, expect, it } from 'vitest';
import { lineageLimits, type LineageQuery } from '@dbt-workbench/plugin-sdk/contracts/lineage.schema';
import { HttpError } from '../http/errors.ts';
import { classic, fixtureIndex } from './fixtures.ts';
import type { IndexNode } from './graph.ts';
import type { LineageBuildPayload } from './overlays.ts';
import { createLineageService, type LineageService } from './service.ts';

const query = (q: Partial<LineageQuery> = {}): LineageQuery => ({
  up: lineageLimits.defaultLevels,
  down: lineageLimits.defaultLevels,
  limit: lineageLimits.defaultNodes,
  ...q,
});

function serviceWith(index: IndexNode[] | null, overlayTimeoutMs?: number): LineageService {
  return createLineageService({ source: { index: () => index }, overlayTimeoutMs });
}

async function httpError(promise: Promise<unknown>): Promise<HttpError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof HttpError)) throw new Error(`expected an HttpError, got ${String(error)}`);
  return error;
}

describe('LineageService', () => {
  const index = fixtureIndex('classic');

  it('answers a focused graph with nodes, edges and the project’s type counts', async () => {
    const graph = await serviceWith(index).graph('w', query({ focus: classic('orders'), up: 1, down: 1 }));
    expect(graph).toMatchObject({
      workspace: 'w',
      focus: classic('orders'),
      truncated: false,
      total: 4,
      tooLarge: false,
    });
    expect(graph.nodes.find((n) => n.id === classic('orders'))).toMatchObject({ testCount: 10, status: 'success' });
    expect(graph.edges).toContainEqual({ source: classic('orders'), target: classic('daily_orders') });
    expect(graph.types).toContainEqual({ resourceType: 'test', count: 20 });
    expect(graph.overlays).toEqual({});
  });

  it('answers 404 for an unknown focus and 400 for a bad selector or type, naming them', async () => {
    const service = serviceWith(index);
    const missing = await httpError(service.graph('w', query({ focus: 'model.jaffle_shop.nope' })));
    expect(missing.status).toBe(404);
    expect(missing.message).toContain('model.jaffle_shop.nope');
    const bad = await httpError(service.graph('w', query({ select: '+orders bogus:x' })));
    expect(bad.status).toBe(400);
    expect(bad.message).toContain('"bogus:x"');
    const type = await httpError(service.graph('w', query({ types: 'model,test' })));
    expect(type.status).toBe(400);
    expect(type.message).toContain('"test"');
  });

  it('answers 404 saying why when the workspace has no manifest yet', async () => {
    const error = await httpError(serviceWith(null).graph('empty', query()));
    expect(error.status).toBe(404);
    expect(error.message).toContain('no manifest.json');
  });

  it('returns each handler’s overlay beside the graph, keyed by its owner', async () => {
    const service = serviceWith(index);
    service.lineageBuild.register({
      owner: 'freshness',
      handle: ({ nodes }) => ({
        nodeBadges: nodes.filter((n) => n.resourceType === 'seed').map((n) => ({ nodeId: n.id, label: 'fresh' })),
        annotations: [{ text: 'checked an hour ago' }, { nodeId: 'model.not.drawn', text: 'dropped' }],
        extraEdges: [{ source: classic('raw_orders', 'seed'), target: classic('customers'), label: 'manual' }],
      }),
    });
    service.lineageBuild.register({ owner: 'quiet', handle: () => undefined });
    const graph = await service.graph('w', query({ focus: classic('customers') }));
    expect(Object.keys(graph.overlays)).toEqual(['freshness']);
    expect(graph.overlays.freshness?.nodeBadges).toHaveLength(3);
    expect(graph.overlays.freshness?.nodeBadges[0]).toMatchObject({ label: 'fresh', tone: 'neutral' });
    expect(graph.overlays.freshness?.annotations).toEqual([{ text: 'checked an hour ago' }]);
    expect(graph.overlays.freshness?.extraEdges).toHaveLength(1);
    // Overlays never become part of the graph itself.
    expect(graph.edges).not.toContainEqual({ source: classic('raw_orders', 'seed'), target: classic('customers') });
  });

  it('keeps the graph and the other overlays when a handler throws or returns garbage', async () => {
    const service = serviceWith(index);
    service.lineageBuild.register({
      owner: 'broken',
      handle: () => {
        throw new Error('database down');
      },
    });
    service.lineageBuild.register({ owner: 'sloppy', handle: () => ({ nodeBadges: [{ nodeId: 1 }] }) as never });
    service.lineageBuild.register({
      owner: 'good',
      handle: () => ({ nodeBadges: [{ nodeId: classic('orders'), label: 'ok', tone: 'good' }] }),
    });
    const graph = await service.graph('w', query({ focus: classic('orders') }));
    expect(graph.nodes.length).toBeGreaterThan(1);
    expect(Object.keys(graph.overlays)).toEqual(['good']);
    expect(graph.overlayProblems).toEqual([
      { owner: 'broken', message: expect.stringContaining('database down') },
      { owner: 'sloppy', message: expect.stringContaining('nodeBadges[0]') },
    ]);
  });

  it('gives handlers a copy: changing it fails that handler and changes neither the answer nor the index', async () => {
    const before = structuredClone(index);
    const service = serviceWith(index);
    const seen: LineageBuildPayload[] = [];
    service.lineageBuild.register({
      owner: 'vandal',
      handle: (payload) => {
        seen.push(payload);
        (payload.nodes[0] as { name: string }).name = 'renamed';
        (payload.edges as unknown[]).length = 0;
      },
    });
    const graph = await service.graph('w', query({ focus: classic('orders') }));
    expect(graph.overlayProblems[0]?.owner).toBe('vandal');
    expect(graph.nodes.some((n) => n.name === 'renamed')).toBe(false);
    expect(graph.edges.length).toBeGreaterThan(0);
    expect(seen[0]?.nodes).not.toBe(graph.nodes);
    expect(index).toEqual(before);
    const again = await service.graph('w', query({ focus: classic('orders') }));
    expect(again.nodes.map((n) => n.name)).toEqual(graph.nodes.map((n) => n.name));
  });

  it('answers without the overlays of handlers that take too long', async () => {
    const service = serviceWith(index, 50);
    service.lineageBuild.register({ owner: 'slow', handle: () => new Promise(() => {}) });
    const graph = await service.graph('w', query({ focus: classic('orders') }));
    expect(graph.nodes.length).toBeGreaterThan(1);
    expect(graph.overlays).toEqual({});
    expect(graph.overlayProblems[0]?.message).toContain('did not finish within 50 ms');
  });

  it('stops calling a handler once its registration is disposed', async () => {
    const service = serviceWith(index);
    const dispose = service.lineageBuild.register({
      owner: 'temporary',
      handle: () => ({ annotations: [{ text: 'here' }] }),
    });
    expect(Object.keys((await service.graph('w', query())).overlays)).toEqual(['temporary']);
    dispose();
    expect((await service.graph('w', query())).overlays).toEqual({});
  });

  it('finds nodes to focus on, exact names first', async () => {
    const hits = await serviceWith(index).search('w', 'orders');
    expect(hits[0]).toEqual({ id: classic('orders'), name: 'orders', resourceType: 'model' });
    expect(hits.map((h) => h.name)).toContain('stg_orders');
    expect(await serviceWith(index).search('w', '  ')).toEqual([]);
  });
});
