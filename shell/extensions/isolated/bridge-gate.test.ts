import { describe, expect, test } from 'vitest';
import { createCallBudget, refusalOf } from './bridge-gate.ts';

describe('the bridge gate', () => {
  test('host data needs the capability that guards it, and says which', () => {
    const readOnly = { enabled: true, capabilities: ['read-metadata'] as const };
    expect(refusalOf({ kind: 'data', method: 'models' }, readOnly)).toBeNull();
    expect(refusalOf({ kind: 'data', method: 'sql' }, readOnly)).toBe(
      'sdk.data.sql needs the "access-sql-workspace" capability, which is not approved for this plugin',
    );
    expect(refusalOf({ kind: 'data', method: 'runs' }, { enabled: true, capabilities: [] })).toMatch(
      /"read-metadata" capability/,
    );
  });

  test('nothing goes through for a plugin that is not enabled here', () => {
    const off = { enabled: false, capabilities: ['read-metadata', 'access-sql-workspace'] as const };
    for (const kind of ['fetch', 'storage', 'notify', 'navigate', 'callback'] as const) {
      expect(refusalOf({ kind }, off)).toBe('the plugin is not enabled in this workspace');
    }
  });

  test('a budget allows a burst, then refills at its rate', () => {
    let now = 0;
    const budget = createCallBudget({ burst: 3, perSecond: 2, now: () => now });
    expect([budget.take(), budget.take(), budget.take(), budget.take()]).toEqual([true, true, true, false]);
    now += 499;
    expect(budget.take()).toBe(false);
    now += 1;
    expect(budget.take()).toBe(true);
    now += 10_000;
    expect([budget.take(), budget.take(), budget.take(), budget.take()]).toEqual([true, true, true, false]);
  });
});
