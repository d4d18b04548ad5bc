import { currentUser } from '../../server/auth/guards.ts';
import type { Feature } from '../../server/context.ts';
import { createSandboxFeature } from '../../server/sandbox/feature.ts';
import { median, ms, type BenchRow } from './support.ts';
import { loadFromAnotherProcess, startBenchApp, until } from './sandbox-support.ts';

/** The handler both routes run: the same work, once in a sandboxed child and once in the server. */
const handler = (username: string) => ({ body: { hello: username, at: 'bench' } });

const PLUGIN = `export async function activate(host) {
  await host.routes.register('GET', '/hello', (request) => ({ body: { hello: request.user.username, at: 'bench' } }));
}
`;

/** The in-process twin: the same checks a plugin route gets (session, workspace membership), then the handler. */
const inProcess: Feature = {
  name: 'bench-in-process',
  async start(app, context) {
    const guards = [context.guards.requireUser, context.guards.requireWorkspaceRole('viewer')];
    app.get(
      '/api/workspaces/:workspace/bench-hello',
      { preHandler: guards },
      async (request) => handler(currentUser(request).username).body,
    );
  },
};

/** SPEC B6: a plugin route through the server to a sandboxed backend vs the same handler in process. */
export async function benchRoutes(): Promise<BenchRow> {
  const feature = createSandboxFeature();
  const bench = await startBenchApp({
    features: [feature, inProcess],
    plugins: [{ name: 'bench-routes', capabilities: ['extend-api'], code: PLUGIN }],
  });
  try {
    await until('the backend', async () => feature.backendState('bench-routes').state === 'active');
    const headers = { cookie: bench.app.adminCookie, 'x-workbench-workspace': 'default' };
    const urls = {
      sandboxed: `${bench.url}/api/ext/bench-routes/hello`,
      inProcess: `${bench.url}/api/workspaces/default/bench-hello`,
    };
    // Short rounds, alternating, so load from elsewhere on the machine hits both sides alike; medians of pairs.
    const ratios: number[] = [];
    const overheads: number[] = [];
    const rates = { sandboxed: [] as number[], inProcess: [] as number[] };
    const p50s = { sandboxed: [] as number[], inProcess: [] as number[] };
    for (let round = 0; round < 6; round++) {
      const measured = { sandboxed: 0, inProcess: 0 };
      const latency = { sandboxed: 0, inProcess: 0 };
      for (const kind of round % 2 ? (['sandboxed', 'inProcess'] as const) : (['inProcess', 'sandboxed'] as const)) {
        const serial = await loadFromAnotherProcess({
          url: urls[kind],
          headers,
          concurrency: 1,
          count: 1500,
          maxMs: 5000,
          warmup: 100,
        });
        const loaded = await loadFromAnotherProcess({
          url: urls[kind],
          headers,
          concurrency: 16,
          count: 50_000,
          maxMs: 1500,
          warmup: 320,
        });
        if (serial.errors + loaded.errors > 0) throw new Error(`${kind}: ${JSON.stringify(loaded.statuses)}`);
        measured[kind] = loaded.perSecond;
        latency[kind] = median(serial.latenciesMs);
        rates[kind].push(loaded.perSecond);
        p50s[kind].push(latency[kind]);
      }
      ratios.push(measured.sandboxed / measured.inProcess);
      overheads.push(latency.sandboxed - latency.inProcess);
    }
    const ratio = median(ratios);
    const overhead = median(overheads);
    return {
      id: 'B6',
      what: 'plugin route through a sandboxed backend vs the same handler in process (HTTP, loopback)',
      result:
        `throughput ${ratio.toFixed(2)}x (${Math.round(median(rates.sandboxed))} vs ${Math.round(median(rates.inProcess))} req/s at 16 concurrent); ` +
        `p50 ${ms(median(p50s.sandboxed))} vs ${ms(median(p50s.inProcess))} (+${ms(overhead)}); medians of 6 alternating rounds`,
      target: 'throughput at least 0.9x, p50 overhead under 0.3 ms',
      pass: ratio >= 0.9 && overhead < 0.3,
    };
  } finally {
    await bench.close();
  }
}

if (import.meta.main) console.log(await benchRoutes());
