import { expect, test } from 'vitest';
import { PluginManifest } from '@dbt-workbench/plugin-sdk/contracts/plugin-manifest.schema';
import { testManifest } from '../../../shared/testing/manifests.ts';
import { TEST_LIMITS } from '../test-records.ts';
import { marketplaceEntries } from './marketplace-entries.ts';

test('a catalog version on a plugin API the next release drops is installable, with the warning shown', () => {
  const pkg = (version: string, pluginApi: number) => ({
    manifest: PluginManifest.parse(
      testManifest('old-api', { version, compatibility: { workbench: '^0.1.0', pluginApi } }),
    ),
    location: `old-api-${version}.zip`,
    sha256: undefined,
    size: undefined,
  });
  const [entry] = marketplaceEntries([pkg('1.0.0', 1), pkg('2.0.0', 2)], {
    host: { version: '0.1.0', pluginApiVersions: [1, 2], deprecatedPluginApiVersions: [1] },
    policy: { autoApprove: [], forbidden: [], limits: TEST_LIMITS },
    installed: [],
    pending: new Map(),
  });
  const byVersion = new Map(entry!.versions.map((v) => [v.version, v]));
  expect(byVersion.get('1.0.0')).toMatchObject({ compatible: true, problems: [] });
  expect(byVersion.get('1.0.0')!.warnings).toEqual([expect.stringContaining('targets plugin API 1, which the next')]);
  expect(byVersion.get('2.0.0')!.warnings).toEqual([]);
});
