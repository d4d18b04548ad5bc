import { followServerEvents, type ServerEvent } from '../../server/testing/server-events.ts';
import { startReplicaCluster, type Replica } from '../../server/testing/replica-cluster.ts';
import { writeWidgetPlugin } from '../../server/testing/widget-plugin.ts';
import { median, ms, percentile, type BenchRow } from './support.ts';

const CHANGES = 50;
const TARGET_MS = 1000;
const PLUGIN = 'bench-widget';

/** Follows `GET /api/events` as a shell does and resolves `arrival(after, check)` with a matching event's arrival. */
async function followEvents(server: Replica) {
  const seen: { event: ServerEvent; at: number }[] = [];
  const close = await followServerEvents(server.url, server.cookie, (event, at) => seen.push({ event, at }));
  return {
    async arrival(after: number, check: (event: ServerEvent) => boolean): Promise<number> {
      const deadline = performance.now() + 5000;
      for (;;) {
        const hit = seen.find((s) => s.at >= after && check(s.event));
        if (hit) return hit.at;
        if (performance.now() > deadline) throw new Error('no event within 5 s');
        await new Promise((resolve) => setTimeout(resolve, 2));
      }
    },
    close,
  };
}

/**
 * Issue 14's B10: two server processes on one throwaway PostgreSQL; 50 disables and enables through replica A;
 * for each, the time until replica B's API answers with it and B's event stream (what an open shell hears) has
 * announced it.
 */
export async function benchReplicaChanges(): Promise<BenchRow> {
  const cluster = await startReplicaCluster({
    workspaces: [{ name: 'alpha' }],
    plugins: 'shared',
    env: { PLUGIN_DEFAULT_ENABLED: 'true' },
    prepare: (dir) => writeWidgetPlugin(dir, PLUGIN),
  });
  try {
    const a = await cluster.start('a');
    const b = await cluster.start('b');
    const shell = await followEvents(b);
    const stateOnB = async () => {
      const body = await b.getJson<{ plugins: { name: string; state: string }[] }>('/api/plugins');
      return body.plugins.find((p) => p.name === PLUGIN)?.state;
    };
    const delays: number[] = [];
    for (let i = 0; i < CHANGES; i++) {
      const verb = i % 2 === 0 ? 'disable' : 'enable';
      const state = verb === 'disable' ? 'disabled' : 'active';
      const started = performance.now();
      const answer = await a.send('POST', `/api/plugins/${PLUGIN}/${verb}`);
      if (answer.status !== 200) throw new Error(`${verb} through A answered ${answer.status}`);
      const heard = shell.arrival(started, (e) => e.type === 'plugins-changed');
      let shown = performance.now();
      while ((await stateOnB()) !== state) {
        if (performance.now() - started > 5000) throw new Error(`B did not show ${state} within 5 s`);
        await new Promise((resolve) => setTimeout(resolve, 5));
        shown = performance.now();
      }
      delays.push(Math.max(await heard, shown) - started);
    }
    shell.close();
    const p99 = percentile(delays, 99);
    return {
      id: 'B10',
      what: `${CHANGES} disables and enables through replica A of 2 on one PostgreSQL: until B's API and B's event stream (an open shell) show each`,
      result: `p99 ${ms(p99)}, p50 ${ms(median(delays))}`,
      target: `p99 under ${ms(TARGET_MS)}`,
      pass: p99 < TARGET_MS,
    };
  } finally {
    await cluster.destroy();
  }
}
