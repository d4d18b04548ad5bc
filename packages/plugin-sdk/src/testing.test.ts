import { createElement } from 'react';
import { renderToString } from 'react-dom/server';
import { describe, expect, test } from 'vitest';
import { defineSlotComponent, slots, type DashboardWidgetProps } from './index.ts';
import { createFakeHost, createFakeSdk } from './testing.ts';

function Greeting({ sdk }: DashboardWidgetProps) {
  sdk.notify(`Hello ${sdk.user.displayName}`, { tone: 'info' });
  return createElement('p', null, `${sdk.workspace.title}: min ${String(sdk.config.min)}`);
}
const Widget = defineSlotComponent(slots.dashboardWidget, Greeting);

describe('createFakeSdk', () => {
  test('renders a contribution with the given values and records its calls', () => {
    const sdk = createFakeSdk({ config: { min: 80 }, workspace: { name: 'w', title: 'Shop' } });
    expect(renderToString(createElement(Widget, { sdk }))).toBe('<p>Shop: min 80</p>');
    expect(sdk.callsTo('notify')).toEqual([['Hello Tester', { tone: 'info' }]]);
    sdk.storage.set('k', 1);
    expect(sdk.storage.get('k')).toBe(1);
    sdk.navigate('/ext/x');
    expect(sdk.calls.map((c) => c.method)).toEqual(['notify', 'storage.set', 'storage.get', 'navigate']);
  });

  test('data calls use the overrides, and the others reject naming the method', async () => {
    const sdk = createFakeSdk({ data: { summary: async () => ({ models: 3 }) as never } });
    await expect(sdk.data.summary()).resolves.toEqual({ models: 3 });
    await expect(sdk.data.runs()).rejects.toThrow('data.runs was not given a result');
    expect((await sdk.fetch('/stats')).status).toBe(404);
  });
});

describe('createFakeSdk at the isolated level', () => {
  test('refuses what the app would refuse: data calls not approved, bodies that cannot cross the bridge', async () => {
    const sdk = createFakeSdk(
      { data: { models: async () => ({ models: [], total: 0 }) as never } },
      { level: 'isolated', capabilities: ['read-metadata'] },
    );
    await expect(sdk.data.models()).resolves.toEqual({ models: [], total: 0 });
    await expect(sdk.data.sql('select 1')).rejects.toThrow(
      'sdk.data.sql refused: sdk.data.sql needs the "access-sql-workspace" capability',
    );
    await expect(sdk.fetch('/upload', { method: 'POST', body: new FormData() })).rejects.toThrow(/not FormData/);
    await expect(sdk.fetch('/save', { method: 'POST', body: '{"a":1}' })).resolves.toHaveProperty('status', 404);
  });

  test('stored values come back as JSON copies, as from the app at either level', () => {
    for (const level of ['isolated', 'in-page'] as const) {
      const sdk = createFakeSdk({}, { level });
      sdk.storage.set('when', new Date('2026-01-02T03:04:05Z'));
      expect(sdk.storage.get('when')).toBe('2026-01-02T03:04:05.000Z');
    }
  });
});

describe('createFakeHost', () => {
  test('routes match :name segments, disposers unregister, events run by priority', async () => {
    const host = createFakeHost({ dataDir: '/tmp' });
    const dispose = await host.routes.register('GET', '/items/:id', (r) => ({ body: { id: r.params.id } }));
    expect((await host.request('GET', '/items/42')).body).toEqual({ id: '42' });
    await dispose();
    await expect(host.request('GET', '/items/42')).rejects.toThrow('no route registered for GET /items/42');
    const order: string[] = [];
    await host.events.on('on-plugin-load', () => void order.push('late'), { priority: 10 });
    await host.events.on('on-plugin-load', () => void order.push('early'), { priority: -1 });
    await host.emit('on-plugin-load', { plugin: 'p', version: '1.0.0' });
    expect(order).toEqual(['early', 'late']);
  });
});
