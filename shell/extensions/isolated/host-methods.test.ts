import type { PluginSdk } from '@dbt-workbench/plugin-sdk';
import { describe, expect, test } from 'vitest';
import { createCallBudget } from './bridge-gate.ts';
import { createHostMethods, type HostMethodsDeps } from './host-methods.ts';

/** A page-side SDK that records what reached it: the bridge must forward only what its checks let through. */
function recordingSdk(reached: string[]): PluginSdk {
  const data =
    (name: string) =>
    async (...args: unknown[]) => {
      reached.push(`data.${name}(${JSON.stringify(args)})`);
      return { name };
    };
  return {
    apiVersion: 1,
    plugin: { name: 'p', version: '1.0.0' },
    workspace: { name: 'w', title: 'W' },
    user: { username: 'u', displayName: 'U', role: 'viewer' },
    config: {},
    fetch: async (path) => {
      reached.push(`fetch ${path}`);
      return new Response('hi', { status: 200 });
    },
    data: {
      models: data('models'),
      node: data('node'),
      search: data('search'),
      summary: data('summary'),
      runs: data('runs'),
      sql: data('sql'),
    } as unknown as PluginSdk['data'],
    storage: { get: () => undefined, set: (k) => void reached.push(`set ${k}`), remove: () => {}, clear: () => {} },
    notify: (m) => void reached.push(`notify ${m}`),
    navigate: (to) => void reached.push(`navigate ${to}`),
  };
}

function setup(overrides: Partial<HostMethodsDeps> = {}) {
  const reached: string[] = [];
  const refused: string[] = [];
  const floods: number[] = [];
  let now = 0;
  const methods = createHostMethods({
    sdk: recordingSdk(reached),
    grant: () => ({ enabled: true, capabilities: ['read-metadata'] }),
    budget: createCallBudget({ burst: 100, perSecond: 100, now: () => now }),
    callbacks: () => ({ setSql: (sql: string) => reached.push(`setSql ${sql}`), note: 'not a function' }),
    reports: { refused: (m) => void refused.push(m), flooded: (n) => void floods.push(n) },
    frame: { resized: () => {}, rendered: () => {}, failed: () => {} },
    now: () => now,
    ...overrides,
  });
  return { methods, reached, refused, floods, tick: (ms: number) => (now += ms) };
}

describe('the host end of an isolated frame', () => {
  test('forwards an approved call and refuses one the plugin was not approved for, before it reaches the SDK', async () => {
    const { methods, reached, refused } = setup();
    await expect(methods.data('models', [{ q: 'orders' }])).resolves.toEqual({ name: 'models' });
    await expect(methods.data('sql', ['select 1'])).rejects.toThrow(
      'sdk.data.sql refused: sdk.data.sql needs the "access-sql-workspace" capability',
    );
    expect(reached).toEqual(['data.models([{"q":"orders"}])']);
    expect(refused).toEqual([expect.stringContaining('access-sql-workspace')]);
  });

  test('answers sdk.fetch with the response as data', async () => {
    const { methods, reached } = setup();
    const response = await methods.fetch('/stats', { method: 'GET', headers: [], body: null });
    expect(response.status).toBe(200);
    expect(new TextDecoder().decode(response.body)).toBe('hi');
    expect(reached).toEqual(['fetch /stats']);
  });

  test('calls only callbacks the slot offers, by name', async () => {
    const { methods, reached } = setup();
    await methods.callback('setSql', ['select 2']);
    await expect(methods.callback('note', [])).rejects.toThrow('this slot offers no callback named "note"');
    await expect(methods.callback('constructor', [])).rejects.toThrow('no callback named "constructor"');
    expect(reached).toEqual(['setSql select 2']);
  });

  test('a flood is refused beyond the budget and reported at most once a second, with its count', async () => {
    let now = 0;
    const { methods, reached, floods, tick } = setup({
      budget: createCallBudget({ burst: 5, perSecond: 1, now: () => now }),
    });
    const outcomes = [];
    for (let i = 0; i < 50; i++)
      outcomes.push(
        await Promise.resolve()
          .then(() => methods.notify(`n${i}`))
          .then(
            () => 'ok',
            (e: Error) => e.message,
          ),
      );
    expect(outcomes.filter((o) => o === 'ok')).toHaveLength(5);
    expect(outcomes[5]).toBe('sdk.notify refused: this plugin is calling the app too often; slow down');
    expect(reached).toHaveLength(5);
    expect(floods).toEqual([1]);
    tick(1000);
    now += 1000;
    for (let i = 0; i < 3; i++)
      await Promise.resolve()
        .then(() => methods.notify('x'))
        .catch(() => {});
    // 44 more refused after the first report, then one of these three passes on the refill and two are refused.
    expect(floods).toEqual([1, 45]);
  });

  test('a failure report keeps its phase and is cut to a sane size', () => {
    const failures: unknown[] = [];
    const { methods } = setup({
      frame: { resized: () => {}, rendered: () => {}, failed: (f) => void failures.push(f) },
    });
    methods.failed({ phase: 'load', message: 'x'.repeat(5000) });
    methods.failed({ phase: 'bogus' as 'load', message: 'boom' });
    expect(failures).toEqual([
      { phase: 'load', message: 'x'.repeat(1000), detail: undefined },
      { phase: 'render', message: 'boom', detail: undefined },
    ]);
  });
});
