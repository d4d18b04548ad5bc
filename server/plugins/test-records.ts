import type { LimitPolicy } from '@dbt-workbench/plugin-sdk/contracts/access-request';
import type { PluginRecord } from './evaluate.ts';

/** The limit policy of a server on its default settings (PLUGIN_TIMEOUT_MS, PLUGIN_MAX_TIMEOUT_MS and friends). */
export const TEST_LIMITS: LimitPolicy = {
  defaults: { timeoutMs: 5000, memoryMb: 128 },
  ceilings: { timeoutMs: 60_000, memoryMb: 1024 },
};

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
    access: [],
    enabledWorkspaces: ['default'],
    config: {},
    ...extra,
  };
}
