import { describe, expect, test } from 'vitest';
import { createRegistrations } from './registrations.ts';

describe('registrations', () => {
  test('routes match by method and segments; literal segments win over parameters', () => {
    const r = createRegistrations();
    r.add({ handler: 1, point: 'route', method: 'GET', path: '/notes/:id', priority: 0 });
    r.add({ handler: 2, point: 'route', method: 'GET', path: '/notes/latest', priority: 0 });
    r.add({ handler: 3, point: 'route', method: 'POST', path: '/notes', priority: 0 });
    expect(r.matchRoute('GET', '/notes/42')).toEqual({
      registration: expect.objectContaining({ handler: 1 }),
      params: { id: '42' },
    });
    expect(r.matchRoute('GET', '/notes/latest')?.registration.handler).toBe(2);
    expect(r.matchRoute('GET', '/notes/a%20b')?.params).toEqual({ id: 'a b' });
    expect(r.matchRoute('GET', '/notes')).toBeNull();
    expect(r.matchRoute('POST', '/notes/')?.registration.handler).toBe(3);
    expect(r.matchRoute('GET', '/notes/%E0%A4%A')).toBeNull();
    expect(r.describe()).toEqual(['GET /notes/:id', 'GET /notes/latest', 'POST /notes']);
    expect(r.remove(2)).toBe(true);
    expect(r.matchRoute('GET', '/notes/latest')?.registration.handler).toBe(1);
  });

  test('events are listed per event name in registration order', () => {
    const r = createRegistrations();
    r.add({ handler: 1, point: 'event', event: 'on-run-complete', priority: 0 });
    r.add({ handler: 2, point: 'artifact-load', priority: 0 });
    r.add({ handler: 3, point: 'event', event: 'on-run-complete', priority: 0 });
    expect(r.forEvent('on-run-complete').map((x) => x.handler)).toEqual([1, 3]);
    expect(r.of('artifact-load').map((x) => x.handler)).toEqual([2]);
  });
});
