import { describe, expect, test } from 'vitest';
import { fromWireRequest, fromWireResponse, splitProps, toWireRequest, toWireResponse } from './wire.ts';

describe('what crosses the bridge', () => {
  test('slot props split into data and callback names', () => {
    const setSql = () => {};
    const run = () => {};
    expect(splitProps({ sql: 'select 1', running: false, setSql, run })).toEqual({
      data: { sql: 'select 1', running: false },
      callbacks: ['setSql', 'run'],
    });
  });

  test('a request keeps its method, headers and body, and a structured-clone copy of it is the same', async () => {
    const wire = toWireRequest({ method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"a":1}' });
    const copy = structuredClone(wire);
    const init = fromWireRequest(copy);
    const request = new Request('http://localhost/x', init);
    expect(request.method).toBe('POST');
    expect(request.headers.get('content-type')).toBe('application/json');
    expect(await request.text()).toBe('{"a":1}');
  });

  test('bytes cross as bytes; a FormData body is refused with a reason', () => {
    const bytes = new Uint8Array([1, 2, 3]);
    expect(new Uint8Array(toWireRequest({ method: 'PUT', body: bytes }).body as ArrayBuffer)).toEqual(bytes);
    expect(() => toWireRequest({ method: 'POST', body: new FormData() })).toThrow(
      /sends a string \(e.g. JSON\), URLSearchParams or bytes/,
    );
  });

  test('a response comes back with status, headers and body; a 204 has no body', async () => {
    const original = new Response('{"ok":true}', { status: 201, headers: { 'x-a': 'b' } });
    const back = fromWireResponse(structuredClone(await toWireResponse(original)));
    expect(back.status).toBe(201);
    expect(back.headers.get('x-a')).toBe('b');
    expect(await back.json()).toEqual({ ok: true });
    const empty = fromWireResponse(await toWireResponse(new Response(null, { status: 204 })));
    expect(empty.status).toBe(204);
    expect(await empty.text()).toBe('');
  });
});
