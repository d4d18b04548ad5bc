import { describe, expect, it } from 'vitest';
import {
  accessDiff,
  accessEntries,
  accessKey,
  accessRequestOf,
  ceilingProblems,
  groupAccess,
  isApproved,
  type AccessItem,
} from './access-request.ts';
import { PluginManifest } from './plugin-manifest.schema.ts';

const defaults = { timeoutMs: 5000, memoryMb: 128 };

function manifest(extra: Record<string, unknown>): PluginManifest {
  return PluginManifest.parse({
    name: 'probe',
    version: '1.0.0',
    displayName: 'Probe',
    description: 'A plugin that asks for things',
    author: { name: 'Team' },
    compatibility: { workbench: '*', pluginApi: 1 },
    capabilities: ['extend-api'],
    ...extra,
  });
}

describe('accessRequestOf', () => {
  it('lists capabilities, OS grants, limits above the defaults and code from elsewhere, in words', () => {
    const items = accessRequestOf(
      manifest({
        permissions: {
          fs: ['/srv/shared', { path: 'cache', access: 'write' }],
          env: ['WAREHOUSE_TOKEN'],
          network: ['api.example.com:443'],
        },
        backend: { url: 'https://backend.example.com/api', limits: { memoryMb: 512, timeoutMs: 1000 } },
        frontend: { remote: 'https://cdn.example.com/probe/mf-manifest.json', contributions: [] },
      }),
      defaults,
    );
    expect(items.map(accessKey)).toEqual([
      'extend-api',
      'fs.read:/srv/shared',
      'fs.write:cache',
      'env:WAREHOUSE_TOKEN',
      'network:api.example.com:443',
      'limit.memoryMb:512',
      'remote:https://cdn.example.com/probe/mf-manifest.json',
      'backend-url:https://backend.example.com/api',
    ]);
    const words = accessEntries(items, new Set()).map((e) => e.description);
    expect(words).toContain('Read and write files in the folder cache');
    expect(words).toContain("Read the server's environment variable WAREHOUSE_TOKEN");
    expect(words).toContain('Use up to 512 MB of memory (the default is 128 MB)');
  });

  it('asks nothing for limits at or below the defaults', () => {
    const items = accessRequestOf(manifest({ backend: { entry: 'index.js', limits: { memoryMb: 128 } } }), defaults);
    expect(items.map(accessKey)).toEqual(['extend-api']);
  });
});

describe('isApproved', () => {
  const limit = (value: number): AccessItem => ({ kind: 'limit', limit: 'memoryMb', value, default: 128 });
  it('covers smaller limits and reads of a folder approved for writing, nothing else', () => {
    const approved = new Set(['limit.memoryMb:512', 'fs.write:cache']);
    expect(isApproved(limit(256), approved)).toBe(true);
    expect(isApproved(limit(1024), approved)).toBe(false);
    expect(isApproved({ kind: 'fs', path: 'cache', access: 'read' }, approved)).toBe(true);
    expect(isApproved({ kind: 'fs', path: '/etc', access: 'read' }, approved)).toBe(false);
    expect(isApproved({ kind: 'limit', limit: 'timeoutMs', value: 256, default: 5000 }, approved)).toBe(false);
  });
});

describe('accessDiff', () => {
  it('names what an update adds and removes', () => {
    const before = accessRequestOf(manifest({ permissions: { env: ['A'] } }), defaults);
    const after = accessRequestOf(
      manifest({ permissions: { fs: ['/etc'] }, backend: { entry: 'i.js', limits: { timeoutMs: 600000 } } }),
      defaults,
    );
    const diff = accessDiff(before, after);
    expect(diff.added.map(accessKey)).toEqual(['fs.read:/etc', 'limit.timeoutMs:600000']);
    expect(diff.removed.map(accessKey)).toEqual(['env:A']);
  });
});

describe('ceilingProblems', () => {
  it('names each limit above its ceiling with the value and the setting; at the ceiling is fine', () => {
    const ceilings = { timeoutMs: 60_000, memoryMb: 1024 };
    const asking = (limits: Record<string, number>) => manifest({ backend: { entry: 'i.js', limits } });
    expect(ceilingProblems(asking({ memoryMb: 1024, timeoutMs: 60_000 }), ceilings)).toEqual([]);
    expect(ceilingProblems(asking({ memoryMb: 8192, timeoutMs: 600_000 }), ceilings)).toEqual([
      "backend.limits.timeoutMs asks for 600 s, above this server's ceiling of 60 s (PLUGIN_MAX_TIMEOUT_MS)",
      "backend.limits.memoryMb asks for 8,192 MB, above this server's ceiling of 1,024 MB (PLUGIN_MAX_MEMORY_MB)",
    ]);
  });
});

describe('groupAccess', () => {
  it('groups in a fixed order and leaves out empty groups', () => {
    const items = accessRequestOf(
      manifest({
        permissions: { env: ['A'], fs: ['/srv'] },
        backend: { url: 'https://backend.example.com' },
      }),
      defaults,
    );
    const groups = groupAccess(accessEntries(items, new Set()));
    expect(groups.map((g) => [g.title, g.entries.map((e) => e.key)])).toEqual([
      ['Capabilities', ['extend-api']],
      ['Files', ['fs.read:/srv']],
      ['Environment', ['env:A']],
      ['Code from elsewhere', ['backend-url:https://backend.example.com']],
    ]);
  });
});
