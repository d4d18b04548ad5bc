import { describe, expect, test } from 'vitest';
import { ChildMessage, HostCall } from './sandbox.schema.ts';

describe('messages from a plugin backend', () => {
  test('known messages pass; unknown types, bad ids and stray fields of the wrong type do not', () => {
    expect(ChildMessage.safeParse({ type: 'result', id: 3, ok: true, value: { a: 1 } }).success).toBe(true);
    expect(
      ChildMessage.safeParse({ type: 'result', id: 3, ok: false, error: { message: 'x', code: 'E' } }).success,
    ).toBe(true);
    expect(ChildMessage.safeParse({ type: 'log', level: 'warn', message: 'hi' }).success).toBe(true);
    expect(ChildMessage.safeParse({ type: 'shell', command: 'rm -rf /' }).success).toBe(false);
    expect(ChildMessage.safeParse({ type: 'result', id: -1, ok: true }).success).toBe(false);
    expect(ChildMessage.safeParse({ type: 'log', level: 'fatal', message: 'x' }).success).toBe(false);
  });

  test('host calls name a known point, method and path', () => {
    expect(
      HostCall.safeParse({ fn: 'register', point: 'route', handler: 1, method: 'GET', path: '/notes/:id' }).success,
    ).toBe(true);
    expect(
      HostCall.safeParse({ fn: 'register', point: 'route', handler: 1, method: 'TRACE', path: '/x' }).success,
    ).toBe(false);
    expect(
      HostCall.safeParse({ fn: 'register', point: 'route', handler: 1, method: 'GET', path: '/../etc' }).success,
    ).toBe(false);
    expect(HostCall.safeParse({ fn: 'register', point: 'everything', handler: 1 }).success).toBe(false);
    expect(HostCall.safeParse({ fn: 'register', point: 'event', handler: 1, event: 'on-boot' }).success).toBe(false);
  });
});
