import { describe, expect, test } from 'vitest';
import type { MetricsPoint } from '@dbt-workbench/plugin-sdk/contracts/plugin-metrics.schema';
import type { StatsWindow } from '../../sandbox/stats.ts';
import { createMetricsSampler, type MetricsSource } from './sampler.ts';
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
  return { source, backend, frontend, installed };
}

function fakeTimer() {
  const timer = { ms: 0, tick: () => {}, stopped: false };
  const every = (ms: number, tick: () => void) => {
    Object.assign(timer, { ms, tick });
    return () => void (timer.stopped = true);
  };
  return { timer, every };
}

describe('the cost history sampler', () => {
  test('each tick makes one point per plugin from its windows, at the clock time, with percentiles', () => {
    const fake = fakeSource(['notes', 'tips']);
    fake.backend.set('notes', [window([10, 20, 30, 40], { errors: 1, restarts: 2 })]);
    fake.frontend.set('tips', [{ loads: 2, loadSamples: [80, 120], errors: 1 }]);
    let clock = Date.parse('2025-01-01T00:00:10Z');
    const { timer, every } = fakeTimer();
    const sampler = createMetricsSampler({
      source: fake.source,
      intervalMs: 10_000,
      keep: 5,
      now: () => new Date(clock),
      every,
    });
    const stop = sampler.start();
    expect(timer.ms).toBe(10_000);
    timer.tick();
    expect(sampler.points('notes')).toEqual([
      {
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
    ]);
    expect(sampler.points('tips')).toMatchObject([
      { calls: 0, p95Ms: null, memoryMb: null, frontendLoads: 2, frontendLoadP95Ms: 120, frontendErrors: 1 },
    ]);
    clock += 10_000;
    timer.tick();
    expect(sampler.points('notes').map((p) => [p.at, p.calls])).toEqual([
      ['2025-01-01T00:00:10.000Z', 4],
      ['2025-01-01T00:00:20.000Z', 0],
    ]);
    stop();
    expect(timer.stopped).toBe(true);
  });

  test('keeps the last `keep` points and forgets plugins that were removed', () => {
    const fake = fakeSource(['notes', 'tips']);
    const sampler = createMetricsSampler({ source: fake.source, intervalMs: 1000, keep: 3, every: fakeTimer().every });
    fake.backend.set(
      'notes',
      [1, 2, 3, 4, 5].map((ms) => window([ms])),
    );
    for (let i = 0; i < 5; i++) sampler.sample();
    expect(sampler.points('notes').map((p) => p.p95Ms)).toEqual([3, 4, 5]);
    fake.installed.splice(1, 1);
    sampler.sample();
    expect(sampler.points('tips')).toEqual([]);
    expect(sampler.points('notes')).toHaveLength(3);
  });

  test('subscribers follow every point; one that throws neither stops the others nor the sampler', () => {
    const fake = fakeSource(['notes']);
    const failures: string[] = [];
    const sampler = createMetricsSampler({
      source: fake.source,
      intervalMs: 1000,
      keep: 10,
      listenerFailed: (_error, plugin) => failures.push(plugin),
    });
    const seen: [string, MetricsPoint][] = [];
    sampler.subscribe(() => {
      throw new Error('broken watcher');
    });
    const unsubscribe = sampler.subscribe((plugin, point) => seen.push([plugin, point]));
    fake.backend.set('notes', [window([5, 7])]);
    sampler.sample();
    expect(seen).toHaveLength(1);
    expect(seen[0]![1]).toMatchObject({ calls: 2, p95Ms: 7 });
    expect(failures).toEqual(['notes']);
    unsubscribe();
    sampler.sample();
    expect(seen).toHaveLength(1);
    expect(sampler.points('notes')).toHaveLength(2);
  });
});
