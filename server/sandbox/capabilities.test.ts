import { describe, expect, test } from 'vitest';
import type { Capability } from '@dbt-workbench/plugin-sdk/contracts/capabilities';
import { checkHostCall } from './capabilities.ts';

const approved = (...c: Capability[]) => new Set<Capability>(c);

describe('checkHostCall', () => {
  test('each registration point needs its capability, named in the refusal', () => {
    const route = { fn: 'register', point: 'route', handler: 1, method: 'GET', path: '/x' } as const;
    expect(checkHostCall(route, approved('extend-api'), 'p')).toEqual({ ok: true });
    expect(checkHostCall(route, approved('read-metadata'), 'p')).toEqual({
      ok: false,
      capability: 'extend-api',
      message: 'p may not register a route handler: it needs the extend-api capability, which is not approved',
    });
    const enrich = { fn: 'register', point: 'artifact-load', handler: 2 } as const;
    expect(checkHostCall(enrich, approved('read-metadata'), 'p')).toMatchObject({
      ok: false,
      capability: 'write-metadata',
    });
    expect(checkHostCall({ fn: 'register', point: 'lineage-build', handler: 3 }, approved(), 'p')).toMatchObject({
      capability: 'modify-lineage',
    });
    expect(checkHostCall({ fn: 'register', point: 'run-start', handler: 3 }, approved(), 'p')).toMatchObject({
      capability: 'register-schedule-hooks',
    });
    expect(checkHostCall({ fn: 'metadata.refresh' }, approved(), 'p')).toMatchObject({ capability: 'write-metadata' });
  });

  test('plugin lifecycle events need nothing; metadata and run events need a reading capability', () => {
    const on = (event: 'on-plugin-load' | 'on-artifact-load' | 'on-run-complete') =>
      ({ fn: 'register', point: 'event', handler: 1, event }) as const;
    expect(checkHostCall(on('on-plugin-load'), approved(), 'p').ok).toBe(true);
    expect(checkHostCall(on('on-artifact-load'), approved(), 'p')).toMatchObject({
      ok: false,
      capability: 'read-metadata',
    });
    expect(checkHostCall(on('on-artifact-load'), approved('read-metadata'), 'p').ok).toBe(true);
    expect(checkHostCall(on('on-run-complete'), approved('register-schedule-hooks'), 'p').ok).toBe(true);
  });

  test('a route without a method or path is refused; config.get needs nothing', () => {
    expect(checkHostCall({ fn: 'register', point: 'route', handler: 1 }, approved('extend-api'), 'p').ok).toBe(false);
    expect(checkHostCall({ fn: 'config.get' }, approved(), 'p').ok).toBe(true);
  });

  test('onFailure is for before-call hooks only, and needs intercept-tool-calls as they do', () => {
    const before = { fn: 'register', point: 'tool-before', handler: 1, onFailure: 'refuse' } as const;
    expect(checkHostCall(before, approved('intercept-tool-calls'), 'p').ok).toBe(true);
    expect(checkHostCall(before, approved(), 'p')).toMatchObject({ ok: false, capability: 'intercept-tool-calls' });
    const after = { ...before, point: 'tool-after' } as const;
    expect(checkHostCall(after, approved('intercept-tool-calls'), 'p')).toMatchObject({
      ok: false,
      message: 'onFailure applies to tools.beforeCall only',
    });
  });
});
