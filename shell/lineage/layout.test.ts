import { describe, expect, it } from 'vitest';
import { computeLayout, layoutGaps, nodeSize, packInOrder, type Positions } from './layout.ts';

function overlapping(positions: Positions): string[] {
  const boxes = Object.entries(positions);
  const found: string[] = [];
  for (let i = 0; i < boxes.length; i++) {
    for (let j = i + 1; j < boxes.length; j++) {
      const [a, p] = boxes[i]!;
      const [b, q] = boxes[j]!;
      if (Math.abs(p.x - q.x) < nodeSize.width && Math.abs(p.y - q.y) < nodeSize.height) found.push(`${a}/${b}`);
    }
  }
  return found;
}

/** A layered project like dbt's: sources, staging, intermediate, marts, each reading a few of the layer before. */
function project(perLayer: number[]) {
  const nodes: { id: string }[] = [];
  const edges: { source: string; target: string }[] = [];
  perLayer.forEach((count, layer) => {
    for (let i = 0; i < count; i++) {
      nodes.push({ id: `l${layer}_${i}` });
      if (layer === 0) continue;
      const before = perLayer[layer - 1]!;
      for (let k = 0; k < 1 + (i % 3); k++)
        edges.push({ source: `l${layer - 1}_${(i * 7 + k * 13) % before}`, target: `l${layer}_${i}` });
    }
  });
  return { nodes, edges };
}

describe('computeLayout', () => {
  it('lays dependencies out left to right without overlaps', () => {
    const positions = computeLayout({
      nodes: [{ id: 'seed' }, { id: 'stg' }, { id: 'mart' }, { id: 'other' }],
      edges: [
        { source: 'seed', target: 'stg' },
        { source: 'stg', target: 'mart' },
        { source: 'seed', target: 'other' },
        { source: 'seed', target: 'missing' },
      ],
    });
    expect(Object.keys(positions).sort()).toEqual(['mart', 'other', 'seed', 'stg']);
    const x = (id: string) => positions[id]?.x ?? NaN;
    expect(x('seed')).toBeLessThan(x('stg'));
    expect(x('stg')).toBeLessThan(x('mart'));
    expect(overlapping(positions)).toEqual([]);
  });

  it('puts a source read only by a mart in the column before the mart, not the first one', () => {
    const positions = computeLayout({
      nodes: [{ id: 'a' }, { id: 'b' }, { id: 'c' }, { id: 'late_source' }],
      edges: [
        { source: 'a', target: 'b' },
        { source: 'b', target: 'c' },
        { source: 'late_source', target: 'c' },
      ],
    });
    expect(positions.late_source?.x).toBe(positions.b?.x);
  });

  it('lays out a cycle that a plugin edge closes', () => {
    const positions = computeLayout({
      nodes: [{ id: 'a' }, { id: 'b' }, { id: 'c' }],
      edges: [
        { source: 'a', target: 'b' },
        { source: 'b', target: 'c' },
        { source: 'c', target: 'a' },
      ],
    });
    expect(Object.keys(positions)).toHaveLength(3);
    expect(overlapping(positions)).toEqual([]);
  });

  it('keeps a node near its neighbours: a lone chain beside a wide layer is not pushed to the top', () => {
    const positions = computeLayout({
      nodes: [{ id: 'root' }, ...Array.from({ length: 9 }, (_, i) => ({ id: `kid${i}` })), { id: 'grandkid' }],
      edges: [
        ...Array.from({ length: 9 }, (_, i) => ({ source: 'root', target: `kid${i}` })),
        { source: 'kid4', target: 'grandkid' },
      ],
    });
    expect(positions.grandkid?.y).toBeCloseTo(positions.kid4?.y ?? NaN, 5);
    expect(overlapping(positions)).toEqual([]);
  });

  it('lays out 1,000 nodes in columns without overlaps', () => {
    const positions = computeLayout(project([150, 300, 300, 200, 50]));
    expect(Object.keys(positions)).toHaveLength(1000);
    expect(overlapping(positions)).toEqual([]);
    const columns = new Set(Object.values(positions).map((p) => p.x));
    expect([...columns].sort((a, b) => a - b)).toEqual(
      [0, 1, 2, 3, 4].map((c) => c * (nodeSize.width + layoutGaps.layer)),
    );
  });
});

describe('packInOrder', () => {
  it('keeps wanted positions that are far enough apart', () => {
    expect(packInOrder([0, 100, 300], 80)).toEqual([0, 100, 300]);
  });

  it('spreads crowded positions evenly around where they wanted to be, in order', () => {
    expect(packInOrder([50, 50, 50], 80)).toEqual([-30, 50, 130]);
    const packed = packInOrder([0, 10, 200, 205], 80);
    for (let i = 1; i < packed.length; i++) expect(packed[i]! - packed[i - 1]!).toBeGreaterThanOrEqual(80 - 1e-9);
  });
});
