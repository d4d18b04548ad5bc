import { describe, expect, it } from 'vitest';
import { nodeSize } from './geometry.ts';
import { panIntoView, planFit, readableZoom } from './viewport.ts';

const canvas = { width: 1000, height: 600 };

describe('planFit', () => {
  it('fits a graph that can be read whole', () => {
    const plan = planFit({ a: { x: 0, y: 0 }, b: { x: 310, y: 0 } }, canvas, null);
    expect(plan.partial).toBe(false);
    expect(plan.nodes).toBeUndefined();
    expect(plan.allZoom).toBeGreaterThanOrEqual(readableZoom);
  });

  it('shows a graph too tall to read at a readable zoom around its focus, with the zoom that fits all', () => {
    const positions = Object.fromEntries(Array.from({ length: 200 }, (_, i) => [`n${i}`, { x: 0, y: i * 80 }]));
    const plan = planFit(positions, canvas, 'n150');
    expect(plan).toMatchObject({ partial: true, anchor: 'n150', nodes: [{ id: 'n150' }] });
    expect(plan.minZoom).toBe(readableZoom);
    expect(plan.maxZoom).toBe(readableZoom);
    expect(plan.allZoom).toBeLessThan(0.05);
  });

  it('without a focus, centres on the node nearest the middle of the drawing', () => {
    const positions = Object.fromEntries(Array.from({ length: 201 }, (_, i) => [`n${i}`, { x: 0, y: i * 80 }]));
    expect(planFit(positions, canvas, null).anchor).toBe('n100');
  });
});

describe('panIntoView', () => {
  it('leaves a node that is in view alone', () => {
    expect(panIntoView({ x: 100, y: 100 }, { x: 0, y: 0, zoom: 1 }, canvas)).toBeNull();
  });

  it('pans a node cut by the right edge (the panel opened) back into view', () => {
    const next = panIntoView({ x: 900, y: 100 }, { x: 0, y: 0, zoom: 1 }, canvas);
    expect(next).not.toBeNull();
    expect(900 + nodeSize.width + next!.x).toBeLessThanOrEqual(canvas.width - 24);
  });
});
