import { describe, expect, it } from 'vitest';
import { cellText, resultView } from './result-view.ts';

const rowSchema = { type: 'object', properties: { name: { type: 'string' }, rows: { type: 'integer' } } };

describe('how a tool result is shown', () => {
  it('as markdown when the schema says the string is markdown', () => {
    expect(resultView({ type: 'string', contentMediaType: 'text/markdown' }, '# Hi')).toEqual({
      kind: 'markdown',
      text: '# Hi',
    });
    const wrapped = { type: 'object', properties: { report: { type: 'string', contentMediaType: 'text/markdown' } } };
    expect(resultView(wrapped, { report: '*x*' })).toEqual({ kind: 'markdown', text: '*x*' });
  });

  it('as a table for a list of objects, columns in schema order then any others', () => {
    const view = resultView({ type: 'array', items: rowSchema }, [{ rows: 3, name: 'a', extra: { x: 1 } }]);
    expect(view).toEqual({
      kind: 'table',
      columns: ['name', 'rows', 'extra'],
      rows: [{ rows: 3, name: 'a', extra: { x: 1 } }],
    });
  });

  it('as a table for an object holding one list of objects, its scalars as the caption', () => {
    const schema = {
      type: 'object',
      properties: { total: { type: 'integer' }, hits: { type: 'array', items: rowSchema } },
    };
    expect(resultView(schema, { total: 7, hits: [{ name: 'a', rows: 1 }] })).toEqual({
      kind: 'table',
      columns: ['name', 'rows'],
      rows: [{ name: 'a', rows: 1 }],
      caption: 'total: 7',
    });
  });

  it('as JSON otherwise, or when the value does not have the promised shape', () => {
    expect(resultView({ type: 'object' }, { ok: true })).toEqual({ kind: 'json', value: { ok: true } });
    expect(resultView({ type: 'array', items: rowSchema }, [1, 2])).toEqual({ kind: 'json', value: [1, 2] });
    expect(resultView({ type: 'string', contentMediaType: 'text/markdown' }, 3)).toEqual({ kind: 'json', value: 3 });
    expect(resultView(undefined, 'x')).toEqual({ kind: 'json', value: 'x' });
  });

  it('writes nested cells as JSON and empty ones as nothing', () => {
    expect(cellText({ a: 1 })).toBe('{"a":1}');
    expect(cellText(null)).toBe('');
    expect(cellText(false)).toBe('false');
  });
});
