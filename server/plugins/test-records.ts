import type { PluginRecord } from './evaluate.ts';

/** An active plugin record for tests of the rules that take records; override what the test is about. */
export function testRecord(name: string, extra: Partial<PluginRecord> = {}): PluginRecord {
  return {
    name,
    directory: `/plugins/${name}`,
    state: 'active',
    problems: [],
    warnings: [],
    revision: '1.0.0-aaaaaaaaaa',
    missingStaticFiles: [],
    approvedCapabilities: [],
    enabledWorkspaces: ['default'],
    config: {},
    ...extra,
  };
}
