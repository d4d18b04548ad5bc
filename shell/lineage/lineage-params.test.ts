import { describe, expect, it } from 'vitest';
import { lineageApiUrl, lineageLink, lineageSearch, readLineageParams } from './lineage-params.ts';

describe('lineage page params', () => {
  it('reads the URL with defaults for what is missing or broken', () => {
    expect(readLineageParams(new URLSearchParams('focus=model.p.orders&up=4&down=x&types=model,,source'))).toEqual({
      focus: 'model.p.orders',
      up: 4,
      down: 2,
      select: null,
      types: ['model', 'source'],
    });
    expect(readLineageParams(new URLSearchParams('up=999')).up).toBe(50);
  });

  it('writes short URLs and full API queries', () => {
    const params = { focus: 'model.p.orders', up: 2, down: 3, select: null, types: null };
    expect(lineageSearch(params).toString()).toBe('focus=model.p.orders&down=3');
    expect(lineageApiUrl('jaffle-shop', params)).toBe(
      '/api/workspaces/jaffle-shop/lineage?focus=model.p.orders&up=2&down=3&limit=2000',
    );
    expect(lineageApiUrl('w', { focus: null, up: 2, down: 2, select: '+orders tag:x', types: ['model'] })).toBe(
      '/api/workspaces/w/lineage?select=%2Borders+tag%3Ax&types=model&limit=2000',
    );
  });

  it('links other pages to a node’s lineage', () => {
    expect(lineageLink('model.p.orders')).toBe('lineage?focus=model.p.orders');
  });
});
