import { describe, expect, test } from 'vitest';
import { PluginManifest } from '@dbt-workbench/plugin-sdk/contracts/plugin-manifest.schema';
import {
  dependencyProblems,
  hostCompatibilityProblems,
  type DependencyNode,
  type HostFacts,
} from '@dbt-workbench/plugin-sdk/node/compatibility';

function manifest(workbench: string, pluginApi = 1): PluginManifest {
  return PluginManifest.parse({
    name: 'data-quality',
    version: '1.0.0',
    displayName: 'Data quality',
    description: 'Test results per model.',
    author: { name: 'Team' },
    compatibility: { workbench, pluginApi },
    capabilities: [],
  });
}

const host: HostFacts = { version: '0.1.0', pluginApiVersions: [1] };

describe('hostCompatibilityProblems', () => {
  test.each(['^0.1.0', '>=0.1.0 <1.0.0', '0.1.x', '*'])('range %s is satisfied by 0.1.0', (range) => {
    expect(hostCompatibilityProblems(manifest(range), host)).toEqual([]);
  });

  test('a range the host version does not satisfy names both range and host version', () => {
    const problems = hostCompatibilityProblems(manifest('^2.0.0'), host);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toContain('^2.0.0');
    expect(problems[0]).toContain('0.1.0');
  });

  test('a range below the host version is not satisfied', () => {
    expect(hostCompatibilityProblems(manifest('<0.1.0'), host)).toHaveLength(1);
  });

  test('a prerelease host version satisfies a plain range that contains it', () => {
    expect(
      hostCompatibilityProblems(manifest('>=0.1.0 <1.0.0'), { version: '0.2.0-beta.1', pluginApiVersions: [1] }),
    ).toEqual([]);
  });

  test('a prerelease host version before the range minimum does not satisfy it', () => {
    const problems = hostCompatibilityProblems(manifest('>=0.2.0'), { version: '0.2.0-rc.1', pluginApiVersions: [1] });
    expect(problems).toEqual([expect.stringContaining('0.2.0-rc.1')]);
  });

  test('an unsupported plugin API names the API and the supported versions', () => {
    const problems = hostCompatibilityProblems(manifest('^0.1.0', 2), { version: '0.1.0', pluginApiVersions: [1, 3] });
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/plugin API 2\b/);
    expect(problems[0]).toContain('1, 3');
  });

  test('a plugin API in the supported list passes', () => {
    expect(hostCompatibilityProblems(manifest('^0.1.0', 3), { version: '0.1.0', pluginApiVersions: [1, 3] })).toEqual(
      [],
    );
  });

  test('both problems are reported together', () => {
    expect(hostCompatibilityProblems(manifest('^5.0.0', 9), host)).toHaveLength(2);
  });
});

function node(
  name: string,
  dependencies: Record<string, string> = {},
  extra: Partial<DependencyNode> = {},
): DependencyNode {
  return { name, version: '1.0.0', dependencies, ready: true, ...extra };
}

describe('dependencyProblems', () => {
  test('no dependencies blocks nothing', () => {
    expect(dependencyProblems([node('a'), node('b')])).toEqual(new Map());
  });

  test('a satisfied dependency blocks nothing', () => {
    expect(dependencyProblems([node('a', { b: '^1.0.0' }), node('b')])).toEqual(new Map());
  });

  test('a missing dependency', () => {
    const blocked = dependencyProblems([node('a', { ghost: '^1.0.0' })]);
    expect([...blocked.keys()]).toEqual(['a']);
    expect(blocked.get('a')).toContain('"ghost"');
    expect(blocked.get('a')).toContain('not installed');
  });

  test('a dependency out of range names the range and the installed version', () => {
    const blocked = dependencyProblems([node('a', { b: '^2.0.0' }), node('b', {}, { version: '1.4.0' })]);
    expect([...blocked.keys()]).toEqual(['a']);
    expect(blocked.get('a')).toContain('^2.0.0');
    expect(blocked.get('a')).toContain('1.4.0');
  });

  test('a dependency that is not ready', () => {
    const blocked = dependencyProblems([node('a', { b: '^1.0.0' }), node('b', {}, { ready: false })]);
    expect([...blocked.keys()]).toEqual(['a']);
    expect(blocked.get('a')).toContain('"b"');
    expect(blocked.get('a')).toContain('cannot be activated');
  });

  test('a plugin that is not ready is never reported itself', () => {
    expect(dependencyProblems([node('a', { ghost: '*' }, { ready: false })])).toEqual(new Map());
  });

  test.each([
    ['a first', ['a', 'b', 'c']],
    ['c first', ['c', 'b', 'a']],
  ])('chain a -> b -> c with c not ready blocks a and b (%s)', (_, order) => {
    const all = { a: node('a', { b: '^1.0.0' }), b: node('b', { c: '^1.0.0' }), c: node('c', {}, { ready: false }) };
    const blocked = dependencyProblems(order.map((n) => all[n as keyof typeof all]));
    expect([...blocked.keys()].sort()).toEqual(['a', 'b']);
    expect(blocked.get('b')).toContain('"c"');
    expect(blocked.get('a')).toContain('"b"');
  });

  test('a cycle a -> b -> a is reported as a cycle for both', () => {
    const blocked = dependencyProblems([node('a', { b: '*' }), node('b', { a: '*' })]);
    expect([...blocked.keys()].sort()).toEqual(['a', 'b']);
    for (const reason of blocked.values()) {
      expect(reason).toMatch(/cycle/);
      expect(reason).toContain('a -> b -> a');
    }
  });

  test('a plugin depending on itself is a cycle', () => {
    const blocked = dependencyProblems([node('a', { a: '*' })]);
    expect(blocked.get('a')).toMatch(/cycle/);
    expect(blocked.get('a')).toContain('a -> a');
  });

  test('a plugin outside a cycle is not blocked by it unless it depends on it', () => {
    const blocked = dependencyProblems([node('a', { b: '*' }), node('b', { a: '*' }), node('c')]);
    expect(blocked.has('c')).toBe(false);
  });

  test('a prerelease dependency version is matched against the range', () => {
    expect(dependencyProblems([node('a', { b: '^1.0.0' }), node('b', {}, { version: '1.1.0-beta.1' })])).toEqual(
      new Map(),
    );
  });
});

describe('the reason names the state of a dependency that is not active', () => {
  test('a disabled dependency is named as disabled', () => {
    const blocked = dependencyProblems([
      { name: 'app', version: '1.0.0', dependencies: { core: '^1.0.0' }, ready: true },
      { name: 'core', version: '1.0.0', dependencies: {}, ready: false, state: 'disabled' },
    ]);
    expect(blocked.get('app')).toBe('needs plugin "core", which is disabled');
  });
});
