import { describe, expect, it } from 'vitest';
import { cellText, resultView } from './result-view.ts';

const tableSchema = {
  type: 'object',
  properties: {
    total: { type: 'integer' },
    rows: {
      type: 'array',
      items: { type: 'object', properties: { name: { type: 'string' }, rows: { type: 'integer' } } },
    },
  },
};

describe('how a tool result is shown', () => {
  it('as markdown when the view is markdown', () => {
    expect(resultView('markdown', {}, { markdown: '# Hi' })).toEqual({ kind: 'markdown', text: '# Hi' });
  });

  it('as a table: columns in schema order then any others, the plain fields as the caption', () => {
    expect(resultView('table', tableSchema, { total: 7, rows: [{ rows: 3, name: 'a', extra: { x: 1 } }] })).toEqual({
      kind: 'table',
      columns: ['name', 'rows', 'extra'],
      rows: [{ rows: 3, name: 'a', extra: { x: 1 } }],
      caption: 'total: 7',
    });
  });

  it('as JSON for the json view, or when the value does not have the promised shape', () => {
    expect(resultView('json', undefined, { ok: true })).toEqual({ kind: 'json', value: { ok: true } });
    expect(resultView('table', tableSchema, { rows: [1, 2] })).toEqual({ kind: 'json', value: { rows: [1, 2] } });
    expect(resultView('markdown', {}, { markdown: 3 })).toEqual({ kind: 'json', value: { markdown: 3 } });
  });

  it('writes nested cells as JSON and empty ones as nothing', () => {
    expect(cellText({ a: 1 })).toBe('{"a":1}');
    expect(cellText(null)).toBe('');
    expect(cellText(false)).toBe('false');
  });
});
