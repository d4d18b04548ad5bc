import { describe, expect, test } from 'vitest';
import { accessEntries, accessRequestOf } from '@dbt-workbench/plugin-sdk/contracts/access-request';
import { PluginManifest } from '@dbt-workbench/plugin-sdk/contracts/plugin-manifest.schema';
import { testManifest, type ManifestDoc } from '../../../shared/testing/manifests.ts';
import { TEST_LIMITS } from '../test-records.ts';
import { contributionDiff, updateDiff, type InstalledFacts } from './diff.ts';

const manifest = (version: string, extra: ManifestDoc = {}) =>
  PluginManifest.parse(testManifest('owners', { version, ...extra }));

/** The installed version as the registry holds it, with `approved` keys approved for it. */
function installed(m: PluginManifest, approved: string[]): InstalledFacts {
  return {
    version: m.version,
    capabilities: m.capabilities,
    access: accessEntries(accessRequestOf(m, TEST_LIMITS.defaults), new Set(approved)),
    contributions: m.frontend?.contributions ?? [],
  };
}

const facts = { autoApprove: [], defaults: TEST_LIMITS.defaults, problems: [], warnings: [] };
const keys = (entries: { key: string }[]) => entries.map((e) => e.key);

describe('updateDiff', () => {
  test('approvals carry over to unchanged items; what is added waits, what is dropped is listed', () => {
    const v1 = manifest('1.0.0', { capabilities: ['extend-api'], permissions: { env: ['A'], fs: ['/srv/a'] } });
    const v2 = manifest('2.0.0', {
      capabilities: ['extend-api', 'read-metadata'],
      permissions: { fs: ['/srv/a', '/srv/b'], network: ['api.example.com'] },
    });
    const diff = updateDiff(installed(v1, ['extend-api', 'env:A', 'fs.read:/srv/a']), v2, facts);
    expect(keys(diff.access.added)).toEqual(['read-metadata', 'fs.read:/srv/b', 'network:api.example.com']);
    expect(keys(diff.access.removed)).toEqual(['env:A']);
    expect(keys(diff.access.needsApproval)).toEqual(keys(diff.access.added));
    expect(diff.access.request.filter((e) => e.approved).map((e) => e.key)).toEqual(['extend-api', 'fs.read:/srv/a']);
    expect(diff.needsApproval).toEqual(['read-metadata']);
  });

  test('nothing carries over from a version that was never approved; the policy still approves', () => {
    const v1 = manifest('1.0.0', { capabilities: ['extend-api', 'read-metadata'] });
    const v2 = manifest('1.1.0', { capabilities: ['extend-api', 'read-metadata'] });
    const diff = updateDiff(installed(v1, []), v2, { ...facts, autoApprove: ['read-metadata'] });
    expect(diff.access.added).toEqual([]);
    expect(keys(diff.access.needsApproval)).toEqual(['extend-api']);
  });

  test('a raised limit waits; a lowered one is covered by the approval of the higher', () => {
    const limits = (memoryMb: number) => ({ backend: { entry: 'i.js', limits: { memoryMb } } });
    const v1 = manifest('1.0.0', limits(512));
    const approved = ['limit.memoryMb:512'];
    expect(
      keys(updateDiff(installed(v1, approved), manifest('2.0.0', limits(256)), facts).access.needsApproval),
    ).toEqual([]);
    const raised = updateDiff(installed(v1, approved), manifest('2.0.0', limits(1024)), facts);
    expect(raised.access.needsApproval.map((e) => e.description)).toEqual([
      'Use up to 1,024 MB of memory (the default is 128 MB)',
    ]);
  });
});

describe('contributionDiff', () => {
  test('names contributions added and removed by slot and id, with their titles', () => {
    const before = [
      { slot: 'nav.tab' as const, id: 'owners', title: 'Owners', path: 'owners', module: './Page' },
      { slot: 'dashboard.widget' as const, id: 'stats', title: 'Stats', module: './Stats' },
    ];
    const after = [
      { slot: 'nav.tab' as const, id: 'owners', title: 'Owners (new)', path: 'owners', module: './Page' },
      { slot: 'model.panel' as const, id: 'stats', title: 'Owner stats', module: './Panel' },
    ];
    expect(contributionDiff(before, after)).toEqual({
      added: [{ slot: 'model.panel', id: 'stats', title: 'Owner stats' }],
      removed: [{ slot: 'dashboard.widget', id: 'stats', title: 'Stats' }],
    });
  });
});
