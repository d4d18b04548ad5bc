import { describe, expect, test } from 'vitest';
import { enabledWorkspaces, isEnabledIn } from './enablement.ts';

describe('isEnabledIn', () => {
  test('no rules: the server default decides', () => {
    expect(isEnabledIn(undefined, 'a', true)).toBe(true);
    expect(isEnabledIn(undefined, 'a', false)).toBe(false);
    expect(isEnabledIn({ workspaces: {} }, 'a', false)).toBe(false);
  });

  test('the global rule beats the default; a workspace rule beats the global one', () => {
    expect(isEnabledIn({ global: false, workspaces: {} }, 'a', true)).toBe(false);
    expect(isEnabledIn({ global: true, workspaces: {} }, 'a', false)).toBe(true);
    expect(isEnabledIn({ global: false, workspaces: { a: true } }, 'a', true)).toBe(true);
    expect(isEnabledIn({ global: true, workspaces: { a: false } }, 'a', true)).toBe(false);
    expect(isEnabledIn({ global: false, workspaces: { a: true } }, 'b', true)).toBe(false);
  });

  test('enabledWorkspaces lists exactly the workspaces where it is on', () => {
    expect(enabledWorkspaces({ global: false, workspaces: { b: true } }, ['a', 'b', 'c'], true)).toEqual(['b']);
    expect(enabledWorkspaces({ workspaces: { b: false } }, ['a', 'b', 'c'], true)).toEqual(['a', 'c']);
  });
});
