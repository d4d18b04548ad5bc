import { expect, test } from 'vitest';
import { assignUid, UID_RANGE } from './uids.ts';

test('each plugin gets its own stable user id in the range', () => {
  const assigned = new Map<string, number>();
  const a = assignUid('alpha', 61_000, assigned);
  const b = assignUid('beta', 61_000, assigned);
  expect(a).not.toBe(b);
  expect(assignUid('alpha', 61_000, assigned)).toBe(a);
  expect(assignUid('alpha', 61_000, new Map())).toBe(a);
  for (const uid of assigned.values()) expect(uid - 61_000).toBeLessThan(UID_RANGE);
  const crowded = new Map([['someone', a]]);
  expect(assignUid('alpha', 61_000, crowded)).toBe(a + 1);
});
