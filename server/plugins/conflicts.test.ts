import { describe, expect, test } from 'vitest';
import { PluginManifest } from '@dbt-workbench/plugin-sdk/contracts/plugin-manifest.schema';
import { testManifest } from '../../shared/testing/manifests.ts';
import { describeClash, installClashes, keyHolders, ownedKeys, settleClashes, type Precedence } from './conflicts.ts';

type Page = [slot: 'nav.tab' | 'page', path: string];

const manifestWith = (name: string, pages: Page[], extra: Record<string, unknown> = {}) =>
  PluginManifest.parse(
    testManifest(name, {
      frontend: {
        remote: 'mf-manifest.json',
        contributions: [
          ...pages.map(([slot, path], i) =>
            slot === 'nav.tab'
              ? { slot, id: `p${i}`, title: path, path, module: './P' }
              : { slot, id: `p${i}`, path, module: './P' },
          ),
          { slot: 'sql.template', id: 'shared-id', title: 'Rows', sql: 'select 1' },
          { slot: 'dashboard.widget', id: 'p0-widget', module: './W' },
        ],
      },
      ...extra,
    }),
  );

const withPages = (name: string, ...pages: Page[]) => ({ name, manifest: manifestWith(name, pages) });

const nobodyFirst: Precedence = { heldBy: () => undefined, installedAt: () => undefined, heldIn: () => undefined };

describe('ownedKeys', () => {
  test('are the name, the route prefix and each page path once; ids and other slots are not keys', () => {
    const manifest = manifestWith('quality', [
      ['nav.tab', 'quality'],
      ['page', 'quality/run'],
      ['page', 'quality'],
    ]);
    expect(ownedKeys(manifest)).toEqual([
      { kind: 'name', value: 'quality' },
      { kind: 'route-prefix', value: '/api/ext/quality' },
      { kind: 'page-path', value: 'quality' },
      { kind: 'page-path', value: 'quality/run' },
    ]);
  });
});

describe('settleClashes', () => {
  test('plugins with different paths, and equal contribution ids, do not clash', () => {
    const claimants = [withPages('alpha', ['nav.tab', 'quality']), withPages('beta', ['page', 'owners'])];
    expect(settleClashes(claimants, nobodyFirst).size).toBe(0);
  });

  test('a plugin may nest its own pages; another plugin may not nest under them', () => {
    const own = withPages('alpha', ['nav.tab', 'quality'], ['page', 'quality/runs']);
    expect(settleClashes([own], nobodyFirst).size).toBe(0);
    const held: Precedence = { ...nobodyFirst, heldBy: (key) => (key.startsWith('page-path:') ? 'alpha' : undefined) };
    const reasons = settleClashes([own, withPages('beta', ['page', 'quality/runs/latest'])], held);
    expect([...reasons]).toEqual([
      [
        'beta',
        'the page path "quality/runs/latest" lies under "quality", which belongs to alpha 1.0.0; ' +
          'the page path "quality/runs/latest" lies under "quality/runs", which belongs to alpha 1.0.0',
      ],
    ]);
  });

  test('the plugin that held the path keeps it, whatever the install times', () => {
    const claimants = [withPages('newcomer', ['page', 'quality']), withPages('owner', ['nav.tab', 'quality'])];
    const reasons = settleClashes(claimants, {
      ...nobodyFirst,
      heldBy: (key) => (key === 'page-path:quality' ? 'owner' : undefined),
      installedAt: (name) => (name === 'newcomer' ? '2020-01-01T00:00:00.000Z' : '2026-01-01T00:00:00.000Z'),
    });
    expect([...reasons]).toEqual([['newcomer', 'the page path "quality" belongs to owner 1.0.0']]);
  });

  test("a path that would contain the holder's path loses too, naming it", () => {
    const claimants = [withPages('owner', ['nav.tab', 'whats-new/latest']), withPages('greedy', ['page', 'whats-new'])];
    const reasons = settleClashes(claimants, {
      ...nobodyFirst,
      heldBy: (k) => (k.includes('whats') ? 'owner' : undefined),
    });
    expect([...reasons]).toEqual([
      ['greedy', 'the page path "whats-new" contains "whats-new/latest", which belongs to owner 1.0.0'],
    ]);
  });

  test('with no holder, the earlier install keeps the path, and an install beats a copied folder', () => {
    const claimants = [
      withPages('copied', ['page', 'quality']),
      withPages('first', ['page', 'quality']),
      withPages('second', ['page', 'quality']),
    ];
    const installed: Record<string, string> = {
      first: '2026-01-01T00:00:00.000Z',
      second: '2026-02-01T00:00:00.000Z',
    };
    const reasons = settleClashes(claimants, { ...nobodyFirst, installedAt: (name) => installed[name] });
    expect(reasons.get('first')).toBeUndefined();
    expect(reasons.get('second')).toBe('the page path "quality" belongs to first 1.0.0');
    expect(reasons.get('copied')).toBe(
      'the page path "quality" belongs to first 1.0.0; the page path "quality" belongs to second 1.0.0',
    );
  });

  test('with nothing to tell them apart, both lose, each naming the other', () => {
    const reasons = settleClashes(
      [withPages('first', ['page', 'quality']), withPages('second', ['nav.tab', 'quality'])],
      nobodyFirst,
    );
    expect([...reasons]).toEqual([
      [
        'first',
        'the page path "quality" is also claimed by second 1.0.0, and neither was serving it or installed first: remove one',
      ],
      [
        'second',
        'the page path "quality" is also claimed by first 1.0.0, and neither was serving it or installed first: remove one',
      ],
    ]);
  });

  test('among 400 plugins, only those whose paths meet lose, found wherever they stand in the list', () => {
    const many = Array.from({ length: 400 }, (_, i) => withPages(`plugin-${i}`, ['page', `area-${i}/home`]));
    many[10] = withPages('nested', ['page', 'area-390/home/deep']);
    many[399] = withPages('parent', ['nav.tab', 'area-5']);
    const held: Precedence = { ...nobodyFirst, heldBy: (key) => ({ 'page-path:area-390/home': 'plugin-390' })[key] };
    const reasons = settleClashes(many, held);
    expect([...reasons.keys()].sort()).toEqual(['nested', 'parent', 'plugin-5']);
    expect(reasons.get('nested')).toBe(
      'the page path "area-390/home/deep" lies under "area-390/home", which belongs to plugin-390 1.0.0',
    );
    expect(reasons.get('parent')).toContain('the page path "area-5" contains "area-5/home"');
  });
});

describe('keyHolders', () => {
  test('map every key of the holders to its plugin', () => {
    const held = keyHolders([withPages('alpha', ['nav.tab', 'quality'])]);
    expect(Object.fromEntries(held)).toEqual({
      'name:alpha': 'alpha',
      'route-prefix:/api/ext/alpha': 'alpha',
      'page-path:quality': 'alpha',
    });
  });
});

describe('installClashes', () => {
  const installed = [
    { ...withPages('owner', ['nav.tab', 'quality']), state: 'disabled' },
    { name: 'broken', state: 'invalid', manifest: manifestWith('broken', [['page', 'broken-page']]) },
  ];

  test('name each installed owner of a path, disabled ones too, with its version', () => {
    const clashes = installClashes(manifestWith('evil', [['page', 'quality']]), installed);
    expect(clashes).toEqual([
      {
        key: { kind: 'page-path', value: 'quality' },
        owner: 'owner',
        ownerVersion: '1.0.0',
        ownerState: 'disabled',
        ownerKey: { kind: 'page-path', value: 'quality' },
      },
    ]);
    expect(describeClash(clashes[0]!)).toBe('the page path "quality" belongs to owner 1.0.0 (disabled)');
  });

  test('ignore the plugin itself (an update) and invalid plugins, which own nothing', () => {
    expect(installClashes(manifestWith('owner', [['page', 'quality']]), installed)).toEqual([]);
    expect(installClashes(manifestWith('evil', [['page', 'broken-page']]), installed)).toEqual([]);
  });
});
