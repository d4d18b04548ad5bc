import { createSandboxFeature } from '../../server/sandbox/feature.ts';
import { ms, percentile, type BenchRow } from './support.ts';
import { loadFromAnotherProcess, startBenchApp, until } from './sandbox-support.ts';

/** Keeps the crash loop going for the whole measurement: quick restarts, a circuit that never opens. */
const policy = {
  initialBackoffMs: 50,
  maxBackoffMs: 200,
  crashes: 1_000_000,
  windowMs: 60_000,
  cooldownMs: 60_000,
  stableMs: 10_000,
};

/** SPEC B8: core API p99 while one plugin backend crash-loops and another hangs on every call. */
export async function benchCoreUnderFault(): Promise<BenchRow> {
  const feature = createSandboxFeature({}, { policy });
  const bench = await startBenchApp({ features: [feature], fixtures: ['crash-loop', 'loops-forever'] });
  try {
    await until(
      'both backends started',
      async () =>
        feature.diagnostics('loops-forever')?.state === 'active' &&
        (feature.diagnostics('crash-loop')?.starts ?? 0) > 0,
    );
    const headers = { cookie: bench.app.adminCookie, 'x-workbench-workspace': 'default' };
    const core = { url: `${bench.url}/api/auth/me`, headers, concurrency: 1, count: 100_000, maxMs: 5000, warmup: 50 };
    const baseline = await loadFromAnotherProcess(core);
    const crashesBefore = feature.diagnostics('crash-loop')!.crashes;
    // The hang: two callers keep calling a route that never returns; each call is killed at its 300 ms deadline.
    const hang = loadFromAnotherProcess({
      url: `${bench.url}/api/ext/loops-forever/spin`,
      headers,
      concurrency: 2,
      count: 100_000,
      maxMs: 6000,
      warmup: 0,
    });
    await new Promise((resolve) => setTimeout(resolve, 300));
    const faulted = await loadFromAnotherProcess(core);
    const hung = await hang;
    const crashes = feature.diagnostics('crash-loop')!.crashes - crashesBefore;
    const timeouts = feature.diagnostics('loops-forever')!.calls.find((c) => c.name === 'GET /spin')?.timeouts ?? 0;
    if (faulted.errors > 0) throw new Error(`core API failed under fault: ${JSON.stringify(faulted.statuses)}`);
    const p99 = percentile(faulted.latenciesMs, 99);
    return {
      id: 'B8',
      what: 'core API (GET /api/auth/me) p99 while one backend crash-loops and another hangs',
      result:
        `p99 ${ms(p99)} (without faults ${ms(percentile(baseline.latenciesMs, 99))}); ` +
        `${faulted.requests} calls over 5 s, meanwhile ${crashes} crashes and ${timeouts} hung calls killed (${hung.requests} tried)`,
      target: 'p99 under 100 ms',
      pass: p99 < 100 && crashes > 5 && timeouts > 5,
    };
  } finally {
    await bench.close();
  }
}

if (import.meta.main) console.log(await benchCoreUnderFault());
