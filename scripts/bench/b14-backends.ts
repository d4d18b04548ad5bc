// SPEC B14: one server with 50 backend plugins installed and approved against none. Ready means the real server
// (server/main.ts in its own process) answers and every plugin is `active` in GET /api/plugins; memory is the
// resident memory of the server and every process under it once the backends are idle. Each plugin is a small
// realistic backend: notes over a JSON file in its data folder (two routes) and a run-complete event handler.
// The server that installs and approves them runs each backend once (it records what each registers); the
// figures are of the server started again on that data folder, as after a deploy or a restart. The wait a user
// has at the first call to an idle backend, which starts it, is reported beside them (no target of its own).
import { readdirSync, readFileSync } from 'node:fs';
import { testManifest } from '../../shared/testing/manifests.ts';
import { writeBackendPlugin } from '../../server/testing/backend-plugin.ts';
import { adminCookie, median, ms, startServer, tempDir, type BenchRow, type RunningServer } from './support.ts';

const PLUGINS = 50;
const ROUNDS = 3;
/** How many idle backends get a first call (each starts then), and a second once it is up. */
const FIRST_CALLS = 10;
const CAPABILITIES = ['extend-api', 'read-metadata'];

const BACKEND = `import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { BackendHost } from '@dbt-workbench/plugin-sdk';

interface Note { model: string; text: string; by: string; at: string }

export async function activate(host: BackendHost): Promise<void> {
  const file = path.join(host.dataDir, 'notes.json');
  const read = (): Note[] => (existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : []);
  await host.routes.register('GET', '/notes', (request) => ({
    body: read().filter((n) => n.model === request.query.model),
  }));
  await host.routes.register('POST', '/notes', (request) => {
    const { model, text } = request.body as { model: string; text: string };
    const note = { model, text, by: request.user.username, at: new Date().toISOString() };
    writeFileSync(file, JSON.stringify([...read(), note]));
    return { status: 201, body: note };
  });
  await host.events.on('on-run-complete', (payload) => {
    host.log.info('run complete', { workspace: payload.workspace, status: payload.status });
  });
}
`;

const MANIFEST = {
  description: 'Notes on models, kept by its own backend.',
  capabilities: CAPABILITIES,
  backend: { entry: 'index.ts', limits: { timeoutMs: 5000 } },
};

function writePlugins(dir: string): string[] {
  const names = Array.from({ length: PLUGINS }, (_, i) => `bench-backend-${i + 1}`);
  for (const name of names) writeBackendPlugin(dir, testManifest(name, MANIFEST), BACKEND);
  return names;
}

/** Waits until every one of `names` is `active` in the plugin list. */
async function allActive(url: string, names: readonly string[]): Promise<void> {
  const cookie = await adminCookie(url);
  const deadline = Date.now() + 120_000;
  for (;;) {
    const listed = (await (await fetch(`${url}/api/plugins`, { headers: { cookie } })).json()) as {
      plugins: { name: string; state: string }[];
    };
    const states = new Map(listed.plugins.map((p) => [p.name, p.state]));
    if (names.every((name) => states.get(name) === 'active')) return;
    if (Date.now() > deadline) throw new Error(`plugins not active: ${JSON.stringify(Object.fromEntries(states))}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** Starts a server and measures until it answers and every plugin is active. */
async function ready(port: number, env: Record<string, string>, names: readonly string[]) {
  const started = performance.now();
  const server = await startServer(port, env);
  await allActive(server.url, names);
  return { server, ms: performance.now() - started };
}

/** Resident memory of a process and all its descendants, in MB (Linux /proc). */
function treeRssMb(root: number): { mb: number; processes: number } {
  const parents = new Map<number, number>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      parents.set(Number(entry), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]));
    } catch {
      // gone meanwhile
    }
  }
  const tree = new Set([root]);
  for (let grew = true; grew;) {
    grew = false;
    for (const [pid, parent] of parents)
      if (tree.has(parent) && !tree.has(pid)) {
        tree.add(pid);
        grew = true;
      }
  }
  let kb = 0;
  for (const pid of tree) {
    try {
      kb += Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0);
    } catch {
      // gone meanwhile
    }
  }
  return { mb: kb / 1024, processes: tree.size };
}

/** What a user waits for when their call reaches an idle backend (it starts first), and once it is up. */
async function firstCalls(url: string, names: readonly string[]): Promise<{ cold: number; warm: number }> {
  const cookie = await adminCookie(url);
  const call = async (name: string) => {
    const started = performance.now();
    const response = await fetch(`${url}/api/ext/${name}/notes?model=orders`, {
      headers: { cookie, 'x-workbench-workspace': 'jaffle-shop' },
    });
    if (response.status !== 200) throw new Error(`${name} answered ${response.status}: ${await response.text()}`);
    await response.json();
    return performance.now() - started;
  };
  const cold: number[] = [];
  const warm: number[] = [];
  for (const name of names.slice(0, FIRST_CALLS)) {
    cold.push(await call(name));
    warm.push(await call(name));
  }
  return { cold: median(cold), warm: median(warm) };
}

export async function benchBackends(port: number): Promise<BenchRow> {
  const pluginsDir = tempDir('wb-bench-b14-plugins-');
  const names = writePlugins(pluginsDir);
  const withPlugins = {
    PLUGINS_DIRECTORY: pluginsDir,
    PLUGINS_WATCH: 'false',
    WORKBENCH_DATA_DIR: tempDir('wb-bench-b14-data-'),
    PLUGIN_AUTO_APPROVE: CAPABILITIES.join(','),
  };
  const without = { PLUGINS_DIRECTORY: tempDir('wb-bench-b14-none-'), WORKBENCH_DATA_DIR: tempDir('wb-bench-b14-d0-') };
  const stopAll = async (servers: RunningServer[]) => {
    for (const s of servers) await s.stop();
  };

  // Installed and approved: the first server runs each backend once.
  const install = await ready(port, withPlugins, names);
  await install.server.stop();

  const times = { none: [] as number[], many: [] as number[] };
  let memory = { mb: 0, processes: 0 };
  let calls = { cold: 0, warm: 0 };
  for (let round = 0; round < ROUNDS; round++) {
    const bare = await ready(port, without, []);
    times.none.push(bare.ms);
    await bare.server.stop();
    const many = await ready(port, withPlugins, names);
    times.many.push(many.ms);
    try {
      if (round === ROUNDS - 1) {
        await new Promise((resolve) => setTimeout(resolve, 1000)); // settled
        memory = treeRssMb(many.server.pid);
        calls = await firstCalls(many.server.url, names);
      }
    } finally {
      await stopAll([many.server]);
    }
  }
  const none = median(times.none);
  const many = median(times.many);
  const ratio = many / none;
  return {
    id: 'B14',
    what: `${PLUGINS} installed, approved backend plugins (two routes over a data file, an event handler) vs none: the real server started until it answers and every plugin is active, median of ${ROUNDS}; resident memory of the server and every process under it with the backends idle; then a user's first route call to ${FIRST_CALLS} idle backends (each starts) and the call after it`,
    result: `ready ${ms(many)} vs ${ms(none)} = ${ratio.toFixed(2)}x (the first start after approval, which runs each backend once: ${ms(install.ms)}); ${Math.round(memory.mb)} MB in ${memory.processes} process${memory.processes === 1 ? '' : 'es'}; a first call to an idle backend (it starts) p50 ${ms(calls.cold)}, the next ${ms(calls.warm)} (${FIRST_CALLS} plugins)`,
    target: 'ready at most 1.5x; memory under 1 GB',
    pass: ratio <= 1.5 && memory.mb < 1024,
  };
}
