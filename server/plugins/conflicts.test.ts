import { describe, expect, test } from 'vitest';
import { PluginManifest } from '../../shared/plugin-manifest.schema.ts';
import { testManifest } from '../../shared/testing/manifests.ts';
import { pathConflicts } from './conflicts.ts';

const withPages = (name: string, ...pages: [slot: 'nav.tab' | 'page', path: string][]) => ({
  name,
  manifest: PluginManifest.parse(
    testManifest(name, {
      frontend: {
        remote: 'mf-manifest.json',
        contributions: pages.map(([slot, path], i) =>
          slot === 'nav.tab'
            ? { slot, id: `p${i}`, title: path, path, module: './P' }
            : { slot, id: `p${i}`, path, module: './P' },
        ),
      },
    }),
  ),
});

describe('pathConflicts', () => {
  test('no shared paths, no conflicts', () => {
    expect(
      pathConflicts([withPages('alpha', ['nav.tab', 'quality']), withPages('beta', ['page', 'owners'])]).size,
    ).toBe(0);
  });

  test('every plugin claiming a path gets a reason naming the path and the others', () => {
    const conflicts = pathConflicts([
      withPages('alpha', ['nav.tab', 'quality']),
      withPages('beta', ['page', 'quality']),
      withPages('gamma', ['nav.tab', 'quality'], ['page', 'other']),
    ]);
    expect(conflicts.get('alpha')).toBe('the page path "quality" is also claimed by beta, gamma');
    expect(conflicts.get('beta')).toBe('the page path "quality" is also claimed by alpha, gamma');
    expect(conflicts.get('gamma')).toBe('the page path "quality" is also claimed by alpha, beta');
  });
});
