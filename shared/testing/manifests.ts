/** A manifest as read from JSON: loosely typed so each test can break one thing. */
export type ManifestDoc = { [key: string]: any };

/** A manifest that passes every rule, for tests. A fresh object per call, so tests can mutate it. */
export function testManifest(name = 'data-quality', extra: ManifestDoc = {}): ManifestDoc {
  return {
    name,
    version: '1.0.0',
    displayName: `Plugin ${name}`,
    description: 'A test plugin.',
    author: { name: 'Team' },
    compatibility: { workbench: '^0.1.0', pluginApi: 1 },
    capabilities: [],
    ...extra,
  };
}
