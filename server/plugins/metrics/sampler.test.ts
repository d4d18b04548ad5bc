import { describe, expect, test } from 'vitest';
import type { StatsWindow } from '../../sandbox/stats.ts';
import { everyOnGrid, samplePoints, type MetricsSource } from './sampler.ts';
import type { FrontendWindow } from './point.ts';

const window = (samples: number[], extra: Partial<StatsWindow> = {}): StatsWindow => ({
  calls: samples.length,
  errors: 0,
  timeouts: 0,
  retries: 0,
  restarts: 0,
  samples,
  hookSamples: samples,
  ...extra,
});

/** A source whose next windows are queued per plugin, as the runtime and the telemetry would hand them out. */
function fakeSource(installed: string[]) {
  const backend = new Map<string, StatsWindow[]>();
  const frontend = new Map<string, FrontendWindow[]>();
  const source: MetricsSource = {
    plugins: () => installed,
    backendWindow: (name) => backend.get(name)?.shift(),
    memoryMb: (name) => (name === 'notes' ? 42.5 : null),
    frontendWindow: (name) => frontend.get(name)?.shift() ?? { loads: 0, loadSamples: [], errors: 0 },
  };
  return { source, backend, frontend };
}

describe('the cost history sampler', () => {
  test('each take makes one point per installed plugin from its windows, at the given time, with percentiles', () => {
    const fake = fakeSource(['notes', 'tips']);
    fake.backend.set('notes', [window([10, 20, 30, 40], { errors: 1, restarts: 2 })]);
    fake.frontend.set('tips', [{ loads: 2, loadSamples: [80, 120], errors: 1 }]);
    const first = samplePoints(fake.source, new Date('2025-01-01T00:00:10Z'), 10_000);
    expect(first).toEqual([
      {
        plugin: 'notes',
        point: {
          at: '2025-01-01T00:00:10.000Z',
          intervalMs: 10_000,
          calls: 4,
          errors: 1,
          timeouts: 0,
          retries: 0,
          p50Ms: 20,
          p95Ms: 40,
          hookP95Ms: 40,
          restarts: 2,
          memoryMb: 42.5,
          frontendLoads: 0,
          frontendLoadP95Ms: null,
          frontendErrors: 0,
        },
      },
      {
        plugin: 'tips',
        point: expect.objectContaining({
          calls: 0,
          p95Ms: null,
          memoryMb: null,
          frontendLoads: 2,
          frontendLoadP95Ms: 120,
          frontendErrors: 1,
        }),
      },
    ]);
    // The next take starts from empty windows.
    const second = samplePoints(fake.source, new Date('2025-01-01T00:00:20Z'), 10_000);
    expect(second.map((p) => [p.plugin, p.point.at, p.point.calls, p.point.frontendLoads])).toEqual([
      ['notes', '2025-01-01T00:00:20.000Z', 0, 0],
      ['tips', '2025-01-01T00:00:20.000Z', 0, 0],
    ]);
  });

  test('the timer ticks at multiples of its interval on the wall clock, each once, with the time it was due', async () => {
    const due: Date[] = [];
    const ran: number[] = [];
    const stop = everyOnGrid(50, (at) => {
      due.push(at);
      ran.push(Date.now());
    });
    await new Promise((resolve) => setTimeout(resolve, 280));
    stop();
    const count = due.length;
    await new Promise((resolve) => setTimeout(resolve, 120));
    expect(due.length).toBe(count);
    expect(count).toBeGreaterThanOrEqual(3);
    for (const [i, at] of due.entries()) {
      expect(at.getTime() % 50).toBe(0);
      // Node's timers may fire a millisecond before Date.now() reaches the time.
      expect(ran[i]!).toBeGreaterThanOrEqual(at.getTime() - 2);
      if (i > 0) expect(at.getTime()).toBeGreaterThan(due[i - 1]!.getTime());
    }
  });
});
