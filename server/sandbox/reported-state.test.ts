import { describe, expect, test } from 'vitest';
import { reportedState } from './reported-state.ts';

const active = { state: 'active' as const };

describe('reportedState', () => {
  test('an active plugin is loading while its backend starts, and active once it answers', () => {
    expect(reportedState(active, { state: 'starting' })).toEqual({
      state: 'loading',
      reason: 'its backend is starting',
    });
    expect(reportedState(active, { state: 'active' })).toEqual(active);
    expect(reportedState(active, { state: 'none' })).toEqual(active);
  });

  test('error with the reason while its backend is down, crash-looping or cannot start', () => {
    const restarting = { state: 'starting' as const, failing: true, reason: 'its backend stopped (boom); restarting' };
    expect(reportedState(active, restarting)).toEqual({ state: 'error', reason: restarting.reason });
    const looping = { state: 'active' as const, failing: true, reason: 'its backend is crash-looping: 3 crashes' };
    expect(reportedState(active, looping)).toEqual({ state: 'error', reason: looping.reason });
    expect(reportedState(active, { state: 'error', reason: 'backend/index.ts does not exist' })).toEqual({
      state: 'error',
      reason: 'its backend is down: backend/index.ts does not exist',
    });
  });

  test("the registry's own decision stands for a plugin that is not active", () => {
    const pending = { state: 'pending-approval' as const, reason: 'waiting for an admin' };
    expect(reportedState(pending, { state: 'error', reason: 'x' })).toBe(pending);
    expect(reportedState({ state: 'disabled' }, { state: 'stopped' })).toEqual({ state: 'disabled' });
  });
});
