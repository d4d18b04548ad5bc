import { describe, expect, it } from 'vitest';
import { computeLayout, nodeSize } from './layout.ts';

describe('computeLayout', () => {
  it('lays dependencies out left to right without overlaps', async () => {
    const positions = await computeLayout({
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
    const stg = positions.stg;
    const other = positions.other;
    if (!stg || !other) throw new Error('missing positions');
    const apart = Math.abs(stg.x - other.x) >= nodeSize.width || Math.abs(stg.y - other.y) >= nodeSize.height;
    expect(apart).toBe(true);
  });

  it('lays out 400 nodes', async () => {
    const nodes = Array.from({ length: 400 }, (_, i) => ({ id: `n${i}` }));
    const edges = nodes.slice(1).map((n, i) => ({ source: `n${Math.floor(i / 3)}`, target: n.id }));
    const positions = await computeLayout({ nodes, edges });
    expect(Object.keys(positions)).toHaveLength(400);
    expect(positions.n0?.x).toBeLessThan(positions.n399?.x ?? 0);
  });
});
