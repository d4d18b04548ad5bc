import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startTestApp, type TestApp } from '../testing/test-app.ts';
import { createSandboxFeature } from './feature.ts';
import { approve, BACKEND_FIXTURES, callExt, diagnosticsOf, eventually, withFixtures } from './testing.ts';

// Four copies of the event recorder: b depends on a; c is independent; d is independent with a later priority.
const recorders: Record<string, { dependencies?: Record<string, string>; priority?: number }> = {
  'rec-a': {},
  'rec-b': { dependencies: { 'rec-a': '^1.0.0' } },
  'rec-c': {},
  'rec-d': { priority: 5 },
};

interface Seen {
  event: string;
  seq: number;
  start: number;
  end: number;
}

let app: TestApp;
const feature = createSandboxFeature();
const seen = async (name: string): Promise<Seen[]> => (await callExt(app, `/api/ext/${name}/seen`)).json();
const emit = (payload: Record<string, unknown>, workspace?: string) =>
  feature.events()!.emit('on-plugin-update', { plugin: 'x', from: '1', to: '2', ...payload }, workspace);

beforeAll(async () => {
  app = await startTestApp({
    workspaces: [{ name: 'default' }, { name: 'other' }],
    features: [feature],
    prepare: (dir) => {
      withFixtures()(dir);
      for (const [name, extra] of Object.entries(recorders)) {
        const target = path.join(dir, 'plugins', name);
        cpSync(path.join(BACKEND_FIXTURES, 'event-recorder'), target, { recursive: true });
        const manifest = JSON.parse(readFileSync(path.join(target, 'manifest.json'), 'utf8'));
        Object.assign(manifest, { name, dependencies: extra.dependencies });
        if (extra.priority !== undefined)
          manifest.configuration = { schema: {}, default: { priority: extra.priority } };
        writeFileSync(path.join(target, 'manifest.json'), JSON.stringify(manifest));
      }
    },
  });
  for (const name of Object.keys(recorders)) await approve(app, name);
  for (const name of Object.keys(recorders))
    await eventually(name, async () =>
      (await callExt(app, `/api/ext/${name}/seen`)).statusCode === 200 ? true : undefined,
    );
}, 30_000);
afterAll(() => app?.close());

const updates = (list: Seen[]) => list.filter((s) => s.event === 'on-plugin-update');

describe('lifecycle event delivery', () => {
  test('every subscribed backend gets the event; dependencies first, then priority; independent ones together', async () => {
    const outcomes = await emit({ seq: 1, sleepMs: { 'rec-a': 150, 'rec-c': 150 } });
    expect(outcomes.map((o) => [o.plugin, o.ok]).sort()).toEqual([
      ['rec-a', true],
      ['rec-b', true],
      ['rec-c', true],
      ['rec-d', true],
    ]);
    const [a, b, c, d] = await Promise.all(
      ['rec-a', 'rec-b', 'rec-c', 'rec-d'].map(async (n) => updates(await seen(n))[0]!),
    );
    expect(Math.abs(a!.start - c!.start)).toBeLessThan(100);
    expect(d!.start).toBeGreaterThanOrEqual(Math.max(a!.end, c!.end));
    expect(b!.start).toBeGreaterThanOrEqual(a!.end);
    expect(b!.start).toBeGreaterThanOrEqual(d!.end);
  });

  test('each plugin gets its events in the order they were dispatched, even when one is slow', async () => {
    const first = emit({ seq: 10, sleepMs: { 'rec-c': 200 } });
    const second = emit({ seq: 11 });
    await Promise.all([first, second]);
    for (const name of Object.keys(recorders)) {
      const seqs = updates(await seen(name)).map((s) => s.seq);
      expect(seqs.slice(-2)).toEqual([10, 11]);
    }
  });

  test('a failing handler is recorded and stops nobody else, not even its dependents', async () => {
    const outcomes = await emit({ seq: 20, failIn: 'rec-a' });
    expect(outcomes.find((o) => o.plugin === 'rec-a')).toMatchObject({ ok: false, error: 'rec-a fails on purpose' });
    for (const name of ['rec-b', 'rec-c', 'rec-d']) expect(updates(await seen(name)).at(-1)!.seq).toBe(20);
    const stats = (await diagnosticsOf(app, 'rec-a')).calls.find((c) => c.name === 'on-plugin-update');
    expect(stats).toMatchObject({ kind: 'event', errors: 1, lastError: 'rec-a fails on purpose' });
  });

  test('a handler that hangs is killed at its deadline; the others are delivered and it comes back', async () => {
    const started = Date.now();
    const outcomes = await emit({ seq: 30, hangIn: 'rec-c' });
    expect(Date.now() - started).toBeLessThan(3000);
    expect(outcomes.find((o) => o.plugin === 'rec-c')).toMatchObject({ ok: false });
    expect(outcomes.find((o) => o.plugin === 'rec-c')!.error).toMatch(/within 1000 ms/);
    for (const name of ['rec-a', 'rec-b', 'rec-d']) expect(updates(await seen(name)).at(-1)!.seq).toBe(30);
    await eventually('rec-c back', async () => {
      const d = await diagnosticsOf(app, 'rec-c');
      return d.state === 'active' && d.restarts === 1 ? true : undefined;
    });
    expect((await diagnosticsOf(app, 'rec-c')).calls.find((c) => c.name === 'on-plugin-update')?.timeouts).toBe(1);
  });

  test('events of a workspace reach only the plugins enabled there', async () => {
    await app.server.inject({
      method: 'PUT',
      url: '/api/plugins/rec-d/workspaces/other',
      headers: { cookie: app.adminCookie },
      payload: { enabled: false },
    });
    const outcomes = await emit({ seq: 40 }, 'other');
    expect(outcomes.map((o) => o.plugin).sort()).toEqual(['rec-a', 'rec-b', 'rec-c']);
  });
});
