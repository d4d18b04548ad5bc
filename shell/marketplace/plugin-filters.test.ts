import { describe, expect, test } from 'vitest';
import type { PluginSummary } from '../../shared/api.schema.ts';
import type { PluginState } from '../../shared/plugin-states.ts';
import { combinedAccess } from './BulkDialog.tsx';
import { avatarLetter } from './PluginIcon.tsx';
import {
  applicableActions,
  filterCounts,
  filterPlugins,
  rejectedWaiting,
  type PluginFilter,
} from './plugin-filters.ts';

function plugin(name: string, state: PluginState, extra: Partial<PluginSummary> = {}): PluginSummary {
  return {
    name,
    directory: `/plugins/${name}`,
    state,
    version: '1.0.0',
    displayName: name,
    capabilities: [],
    approvedCapabilities: [],
    access: [],
    configurable: false,
    hasBackend: false,
    uiTrust: 'isolated',
    enabledWorkspaces: [],
    enablement: { workspaces: {} },
    problems: [],
    warnings: [],
    discoveredAt: '2026-01-01T00:00:00.000Z',
    ...extra,
  };
}

const list = [
  plugin('dbt-glossary', 'active', {
    displayName: 'Glossary',
    description: 'Business terms for models',
    author: { name: 'Ada Analytics' },
    health: { level: 'healthy', summary: 'fine' },
  }),
  plugin('owners', 'disabled', { description: 'Who owns which model', health: { level: 'idle', summary: 'no calls' } }),
  plugin('quality', 'pending-approval', { author: { name: 'Grace Data' } }),
  plugin('broken', 'invalid', { version: undefined }),
  plugin('old-api', 'incompatible', { health: { level: 'failing', summary: 'errors' } }),
];
const any: PluginFilter = { text: '', state: '', health: '' };
const names = (plugins: PluginSummary[]) => plugins.map((p) => p.name);

describe('filtering the Plugins page', () => {
  test('search matches every word in name, display name, description or author, in any case', () => {
    expect(names(filterPlugins(list, { ...any, text: 'GLOSS' }))).toEqual(['dbt-glossary']);
    expect(names(filterPlugins(list, { ...any, text: 'model' }))).toEqual(['dbt-glossary', 'owners']);
    expect(names(filterPlugins(list, { ...any, text: 'grace' }))).toEqual(['quality']);
    expect(names(filterPlugins(list, { ...any, text: 'model who' }))).toEqual(['owners']);
    expect(filterPlugins(list, { ...any, text: 'nothing-like-this' })).toEqual([]);
  });

  test('state and health narrow together; a plugin without a reading is "none"', () => {
    expect(names(filterPlugins(list, { ...any, state: 'disabled' }))).toEqual(['owners']);
    expect(names(filterPlugins(list, { ...any, health: 'none' }))).toEqual(['quality', 'broken']);
    expect(filterPlugins(list, { ...any, state: 'active', health: 'failing' })).toEqual([]);
  });

  test('each count is what its filter would list given the other filters', () => {
    const counts = filterCounts(list, { ...any, text: 'model' });
    expect([counts.state(''), counts.state('active'), counts.state('disabled'), counts.state('invalid')]).toEqual([
      2, 1, 1, 0,
    ]);
    const byHealth = filterCounts(list, { ...any, health: 'healthy' });
    expect([byHealth.state(''), byHealth.state('active'), byHealth.state('disabled')]).toEqual([1, 1, 0]);
    const byState = filterCounts(list, { ...any, state: 'incompatible' });
    expect([byState.health(''), byState.health('failing'), byState.health('healthy')]).toEqual([1, 1, 0]);
    for (const filter of [any, { ...any, state: 'active' as const }, { ...any, text: 'o' }]) {
      const c = filterCounts(list, filter);
      expect(c.state(filter.state)).toBe(filterPlugins(list, filter).length);
    }
  });

  test('"Pending approval" also lists an active plugin whose newer version waits, and counts it', () => {
    const waiting = new Map([['dbt-glossary', { rejected: false }]]);
    const pending = { ...any, state: 'pending-approval' as const };
    expect(names(filterPlugins(list, pending, waiting))).toEqual(['dbt-glossary', 'quality']);
    expect(names(filterPlugins(list, pending))).toEqual(['quality']);
    const counts = filterCounts(list, any, waiting);
    expect([counts.state('pending-approval'), counts.state('active'), counts.state('')]).toEqual([2, 1, 5]);
    expect(filterCounts(list, pending, waiting).health('healthy')).toBe(1);
    expect(counts.rejected()).toBe(0);
  });

  test('a rejected version is still listed under "Pending approval" but counted apart: it waits for no one', () => {
    const rejected = { by: 'admin', at: '2026-12-06T13:00:00.000Z' };
    const withRejected = [...list, plugin('nope', 'pending-approval', { rejected })];
    const updates = new Map([['dbt-glossary', { rejected: true }]]);
    const pending = { ...any, state: 'pending-approval' as const };
    expect(names(filterPlugins(withRejected, pending, updates))).toEqual(['dbt-glossary', 'quality', 'nope']);
    const counts = filterCounts(withRejected, any, updates);
    expect([counts.state('pending-approval'), counts.rejected()]).toEqual([3, 2]);
    // Narrowed by text, only the rejected ones still listed are counted.
    expect(filterCounts(withRejected, { ...any, text: 'nope' }, updates).rejected()).toBe(1);
    expect(rejectedWaiting(withRejected.at(-1)!)).toBe(true);
    expect(rejectedWaiting(list[0]!, updates)).toBe(true);
    expect(rejectedWaiting(list[2]!, updates)).toBe(false);
  });

  test('a rejected first version is not offered for approval in a row or in bulk (only after all, on its card)', () => {
    const rejected = plugin('nope', 'pending-approval', { rejected: { by: 'admin', at: '2026-12-06T13:00:00Z' } });
    expect(applicableActions(rejected)).toEqual({ approve: false, enable: false, disable: false });
  });

  test('actions apply only where they make sense: no enable on invalid, no approve without a version', () => {
    expect(list.map((p) => applicableActions(p))).toEqual([
      { approve: false, enable: false, disable: true },
      { approve: false, enable: true, disable: false },
      { approve: true, enable: false, disable: false },
      { approve: false, enable: false, disable: false },
      { approve: false, enable: false, disable: false },
    ]);
  });

  test('a plugin switched on whose backend is starting or down can still be disabled; a stale configuration cannot', () => {
    const running = { enabledWorkspaces: ['default'], hasBackend: true };
    expect(applicableActions(plugin('starting', 'loading', running))).toMatchObject({ disable: true, enable: false });
    expect(applicableActions(plugin('crashing', 'error', running))).toMatchObject({ disable: true, enable: false });
    expect(applicableActions(plugin('stale-config', 'error'))).toMatchObject({ disable: false, enable: false });
  });
});

test('the letter avatar uses the display name, else the name', () => {
  expect(avatarLetter('Glossary', 'dbt-glossary')).toBe('G');
  expect(avatarLetter(undefined, 'owners')).toBe('O');
  expect(avatarLetter('  ✨ émoji', 'x')).toBe('É');
  expect(avatarLetter('---', '---')).toBe('?');
});

test('the combined access list names each item once, with every plugin asking for it', () => {
  const entry = (key: string, approved: boolean) => ({
    key,
    item: { kind: 'capability' as const, capability: key as 'read-metadata' },
    description: key,
    approved,
  });
  const combined = combinedAccess([
    plugin('a', 'pending-approval', {
      displayName: 'A',
      access: [entry('read-metadata', true), entry('extend-api', false)],
    }),
    plugin('b', 'pending-approval', { displayName: 'B', access: [entry('read-metadata', false)] }),
  ]);
  expect(combined.map((e) => [e.key, e.askedBy, e.approved])).toEqual([
    ['read-metadata', ['A', 'B'], false],
    ['extend-api', ['A'], false],
  ]);
});
