import { createSandboxFeature } from '../../server/sandbox/feature.ts';
import { median, ms, percentile, type BenchRow } from './support.ts';
import { startBenchApp, until, type GeneratedPlugin } from './sandbox-support.ts';

const NO_OP = `export async function activate(host) {
  await host.events.on('on-plugin-update', () => {});
}
`;

/** SPEC B4: one lifecycle event dispatched to 10 sandboxed backends with no-op handlers, all 10 delivered. */
export async function benchEvents(): Promise<BenchRow> {
  const feature = createSandboxFeature();
  const plugins: GeneratedPlugin[] = Array.from({ length: 10 }, (_, i) => ({
    name: `bench-listener-${i}`,
    capabilities: [],
    code: NO_OP,
  }));
  const bench = await startBenchApp({ features: [feature], plugins });
  try {
    await until('10 active backends', async () =>
      plugins.every((p) => feature.backendState(p.name).state === 'active'),
    );
    const emit = () => feature.events()!.emit('on-plugin-update', { plugin: 'bench', from: '1.0.0', to: '1.0.1' });
    for (let i = 0; i < 100; i++) await emit();
    const times: number[] = [];
    for (let i = 0; i < 1000; i++) {
      const started = performance.now();
      const outcomes = await emit();
      times.push(performance.now() - started);
      if (outcomes.length !== 10 || outcomes.some((o) => !o.ok))
        throw new Error('an event was not delivered to all 10');
    }
    const p50 = median(times);
    return {
      id: 'B4',
      what: 'one event to 10 sandboxed backends (no-op handlers), all delivered',
      result: `p50 ${ms(p50)}, p95 ${ms(percentile(times, 95))} (1,000 events)`,
      target: 'p50 under 1 ms',
      pass: p50 < 1,
    };
  } finally {
    await bench.close();
  }
}

if (import.meta.main) console.log(await benchEvents());
