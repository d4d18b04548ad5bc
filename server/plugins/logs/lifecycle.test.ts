import { describe, expect, test } from 'vitest';
import { testRecord } from '../test-records.ts';
import { backendEventLine, registryDecisions } from './lifecycle.ts';

const manifest = (version: string) => ({ version }) as NonNullable<ReturnType<typeof testRecord>['manifest']>;

describe('registry decisions as log lines', () => {
  test('a plugin seen for the first time says its state and why', () => {
    const pending = testRecord('notes', {
      state: 'pending-approval',
      reason: 'waiting for an admin to approve: extend-api',
      manifest: manifest('1.2.0'),
    });
    expect(registryDecisions(undefined, pending)).toEqual([
      {
        level: 'warn',
        message: 'discovered (version 1.2.0): pending-approval: waiting for an admin to approve: extend-api',
      },
    ]);
  });

  test('a state change names both states and the reason; approvals and enablement are said too', () => {
    const before = testRecord('notes', { state: 'active', approvedCapabilities: ['extend-api'] });
    const after = testRecord('notes', { state: 'disabled', enabledWorkspaces: [], approvedCapabilities: [] });
    expect(registryDecisions(before, after)).toEqual([
      { level: 'info', message: 'state active → disabled' },
      { level: 'info', message: 'approved capabilities: none' },
      { level: 'info', message: 'enabled in workspaces: none' },
    ]);
    const broken = testRecord('notes', { state: 'error', reason: 'its stored configuration no longer fits' });
    expect(registryDecisions(before, broken)[0]).toEqual({
      level: 'error',
      message: 'state active → error: its stored configuration no longer fits',
    });
  });

  test('a new version, a failed reload, a new configuration and a removal', () => {
    const v1 = testRecord('notes', { manifest: manifest('1.0.0'), revision: '1.0.0-aaaa' });
    const v2 = testRecord('notes', { manifest: manifest('2.0.0'), revision: '2.0.0-bbbb', config: { limit: 3 } });
    expect(registryDecisions(v1, v2)).toEqual([
      { level: 'info', message: 'version 1.0.0 → 2.0.0' },
      { level: 'info', message: 'configuration changed' },
    ]);
    const failed = {
      ...v2,
      reloadError: { state: 'invalid' as const, reason: 'manifest.json is invalid', problems: [] },
    };
    expect(registryDecisions(v2, failed)).toEqual([
      { level: 'error', message: 'reload failed (invalid: manifest.json is invalid); 2.0.0 keeps running' },
    ]);
    expect(registryDecisions(v2, v2)).toEqual([]);
    expect(registryDecisions(v2, undefined)).toEqual([{ level: 'info', message: 'removed: its folder is gone' }]);
  });

  test('backend events carry a level that matches how bad they are', () => {
    expect(backendEventLine({ type: 'crash', message: 'exited with code 1' })).toEqual({
      level: 'error',
      message: 'backend crash: exited with code 1',
    });
    expect(backendEventLine({ type: 'start', message: 'process 1' }).level).toBe('info');
    expect(backendEventLine({ type: 'restart', message: 'process 2' }).level).toBe('warn');
  });
});
