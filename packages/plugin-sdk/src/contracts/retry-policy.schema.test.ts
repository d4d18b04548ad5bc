import { describe, expect, test } from 'vitest';
import { PluginManifest } from './plugin-manifest.schema.ts';
import { retryDelays } from './retry-policy.schema.ts';
import { validate } from './validation.ts';

const manifestWith = (retries: unknown) => ({
  name: 'run-alerts',
  version: '1.0.0',
  displayName: 'Run alerts',
  description: 'Posts failed runs to chat.',
  author: { name: 'Data platform' },
  compatibility: { workbench: '^0.1.0', pluginApi: 1 },
  capabilities: ['register-schedule-hooks'],
  backend: { entry: 'index.ts', retries },
});

function problemsOf(retries: unknown) {
  const result = validate(PluginManifest, manifestWith(retries));
  if (result.ok) throw new Error(`expected ${JSON.stringify(retries)} to be refused`);
  return result.problems.map(({ field, rule, message }) => ({ field, rule, message }));
}

describe('retryDelays', () => {
  test('starts at backoffMs and grows by the factor, 2 by default', () => {
    expect(retryDelays({ count: 3, backoffMs: 200 })).toEqual([200, 400, 800]);
    expect(retryDelays({ count: 2, backoffMs: 100, factor: 1.5 })).toEqual([100, 150]);
    expect(retryDelays({ count: 1, backoffMs: 0 })).toEqual([0]);
  });
});

describe('backend.retries in the manifest', () => {
  test('hook points, lifecycle events and "event" take a policy', () => {
    const retries = {
      'run-complete': { count: 2, backoffMs: 200 },
      'on-run-complete': { count: 5, backoffMs: 0, factor: 4 },
      event: { count: 1, backoffMs: 10_000 },
    };
    expect(validate(PluginManifest, manifestWith(retries))).toMatchObject({ ok: true, warnings: [] });
  });

  test('routes cannot be retried, and the message says why', () => {
    expect(problemsOf({ route: { count: 1, backoffMs: 0 } })).toEqual([
      {
        field: 'backend.retries.route',
        rule: 'no-route-retries',
        message: expect.stringMatching(/^backend\.retries\.route: routes are never retried/),
      },
    ]);
  });

  test('an unknown key names the keys it may be', () => {
    const [problem] = problemsOf({ 'run-finished': { count: 1, backoffMs: 0 } });
    expect(problem).toMatchObject({ field: 'backend.retries.run-finished', rule: 'one-of' });
    expect(problem!.message).toContain('run-complete, schedule-run-start');
  });

  test.each([
    ['count', 0, 'min', 'must be at least 1'],
    ['count', 6, 'max', 'must be at most 5'],
    ['count', 1.5, 'type', 'must be a whole number'],
    ['backoffMs', -1, 'min', 'must be at least 0 ms'],
    ['backoffMs', 10_001, 'max', 'must be at most 10000 ms'],
    ['factor', 0.5, 'min', 'must be at least 1'],
    ['factor', 5, 'max', 'must be at most 4'],
  ])('%s = %d is refused (%s)', (key, value, rule, message) => {
    const policy = { count: 1, backoffMs: 0, [key]: value };
    const field = `backend.retries.run-complete.${key}`;
    expect(problemsOf({ 'run-complete': policy })).toEqual([{ field, rule, message: `${field}: ${message}` }]);
  });

  test('count and backoffMs are required', () => {
    expect(problemsOf({ 'run-complete': { count: 2 } })).toEqual([
      { field: 'backend.retries.run-complete.backoffMs', rule: 'required', message: expect.any(String) },
    ]);
  });

  test('a policy waiting more than 30 s in all is refused, with its total', () => {
    expect(problemsOf({ 'lineage-build': { count: 5, backoffMs: 1000 } })).toEqual([
      {
        field: 'backend.retries.lineage-build',
        rule: 'max-total-wait',
        message: expect.stringContaining('waits 31000 ms in all between attempts; at most 30000 ms'),
      },
    ]);
    expect(validate(PluginManifest, manifestWith({ 'lineage-build': { count: 4, backoffMs: 2000 } })).ok).toBe(true);
  });
});
