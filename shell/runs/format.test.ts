import { describe, expect, test } from 'vitest';
import { formatDateTime, formatDuration, relativeTime, runDuration } from './format.ts';

describe('run and schedule formatting', () => {
  const now = Date.parse('2026-03-01T12:00:00Z');

  test('relative times pick the largest whole unit', () => {
    expect(relativeTime('2026-03-01T12:00:02Z', now)).toBe('now');
    expect(relativeTime('2026-03-01T12:05:30Z', now)).toBe('in 5 minutes');
    expect(relativeTime('2026-03-01T09:00:00Z', now)).toBe('3 hours ago');
    expect(relativeTime('2026-03-02T12:00:00Z', now)).toBe('tomorrow');
    expect(relativeTime('2026-03-01T11:59:40Z', now)).toBe('20 seconds ago');
  });

  test('durations read naturally at every scale', () => {
    expect(formatDuration(850)).toBe('850 ms');
    expect(formatDuration(12_340)).toBe('12.3 s');
    expect(formatDuration(245_000)).toBe('4 min 05 s');
    expect(formatDuration(7_380_000)).toBe('2 h 03 min');
    expect(runDuration({ startedAt: null, finishedAt: null }, now)).toBe('');
    expect(runDuration({ startedAt: '2026-03-01T11:59:30Z', finishedAt: null }, now)).toBe('30.0 s');
  });

  test('date and time in a schedule’s time zone name the zone', () => {
    expect(formatDateTime('2026-03-01T01:00:00Z', 'Europe/Oslo')).toBe('Mar 1, 2026, 2:00 AM GMT+1');
    expect(formatDateTime('2026-03-01T01:00:00Z', 'UTC')).toBe('Mar 1, 2026, 1:00 AM UTC');
  });
});
