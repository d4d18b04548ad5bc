import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { createTestDatabase } from '../../server/testing/postgres.ts';
import { startPostgresCluster } from '../../server/testing/postgres-cluster.ts';
import { startServerProcess, type ServerProcess } from '../../server/testing/server-process.ts';
import { writeWidgetPlugin } from '../../server/testing/widget-plugin.ts';
import { ADMIN_PASSWORD, median, ms, percentile, tempDir, type BenchRow } from './support.ts';

const CHANGES = 50;
const TARGET_MS = 1000;
const PLUGIN = 'bench-widget';

/** Follows `GET /api/events` as a shell does and resolves `next(check)` with the first matching event's arrival. */
async function followEvents(server: ServerProcess, cookie: string) {
  const controller = new AbortController();
  const response = await fetch(`${server.url}/api/events`, { headers: { cookie }, signal: controller.signal });
  const reader = response.body!.getReader();
  const decoder = new TextDecoder();
  const seen: { event: Record<string, unknown>; at: number }[] = [];
  void (async () => {
    let buffer = '';
    for (;;) {
      const { value, done } = await reader.read().catch(() => ({ value: undefined, done: true }));
      if (done) return;
      buffer += decoder.decode(value, { stream: true });
      const blocks = buffer.split('\n\n');
      buffer = blocks.pop() ?? '';
      for (const block of blocks) {
        const data = block.split('\n').find((line) => line.startsWith('data: '));
        if (data) seen.push({ event: JSON.parse(data.slice(6)) as Record<string, unknown>, at: performance.now() });
      }
    }
  })();
  return {
    async arrival(after: number, check: (event: Record<string, unknown>) => boolean): Promise<number> {
      const deadline = performance.now() + 5000;
      for (;;) {
        const hit = seen.find((s) => s.at >= after && check(s.event));
        if (hit) return hit.at;
        if (performance.now() > deadline) throw new Error('no event within 5 s');
        await new Promise((resolve) => setTimeout(resolve, 2));
      }
    },
    close: () => controller.abort(),
  };
}

/**
 * Issue 14's B10: two server processes on one throwaway PostgreSQL; 50 disables and enables through replica A;
 * for each, the time until replica B's API answers with it and B's event stream (what an open shell hears) has
 * announced it.
 */
export async function benchReplicaChanges(): Promise<BenchRow> {
  const dir = tempDir('wb-bench-b10-');
  const cluster = await startPostgresCluster();
  const servers: ServerProcess[] = [];
  try {
    mkdirSync(path.join(dir, 'ws/target'), { recursive: true });
    writeFileSync(
      path.join(dir, 'workbench.config.json'),
      JSON.stringify({ workspaces: [{ name: 'alpha', projectDir: path.join(dir, 'ws') }] }),
    );
    writeWidgetPlugin(dir, PLUGIN);
    const databaseUrl = await createTestDatabase(cluster.url());
    const env = (name: string) => ({
      DATABASE_URL: databaseUrl,
      WORKBENCH_DATA_DIR: path.join(dir, name),
      PLUGINS_DIRECTORY: path.join(dir, 'plugins'),
      WORKBENCH_CONFIG: path.join(dir, 'workbench.config.json'),
      WORKBENCH_ADMIN_PASSWORD: ADMIN_PASSWORD,
      PLUGINS_WATCH: 'false',
      PLUGIN_DEFAULT_ENABLED: 'true',
    });
    const a = await startServerProcess({ env: env('a'), readyTimeoutMs: 60_000 });
    servers.push(a);
    const b = await startServerProcess({ env: env('b'), readyTimeoutMs: 60_000 });
    servers.push(b);
    const cookieA = await a.signIn('admin', ADMIN_PASSWORD);
    const cookieB = await b.signIn('admin', ADMIN_PASSWORD);
    const shell = await followEvents(b, cookieB);
    const stateOnB = async () => {
      const body = (await (await fetch(`${b.url}/api/plugins`, { headers: { cookie: cookieB } })).json()) as {
        plugins: { name: string; state: string }[];
      };
      return body.plugins.find((p) => p.name === PLUGIN)?.state;
    };
    const delays: number[] = [];
    for (let i = 0; i < CHANGES; i++) {
      const verb = i % 2 === 0 ? 'disable' : 'enable';
      const state = verb === 'disable' ? 'disabled' : 'active';
      const started = performance.now();
      const answer = await fetch(`${a.url}/api/plugins/${PLUGIN}/${verb}`, {
        method: 'POST',
        headers: { cookie: cookieA, origin: a.url },
      });
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
    await Promise.all(servers.map((s) => s.stop()));
    cluster.destroy();
    rmSync(dir, { recursive: true, force: true });
  }
}
