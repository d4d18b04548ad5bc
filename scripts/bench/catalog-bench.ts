// Catalog benchmark: loads the 4,122-node synthetic manifest (generated from fixtures/dbt-artifacts) the way the
// server does (artifact store: read, check, index, search index) and times 200 searches.
// Run: node scripts/bench/catalog-bench.ts [targetDir]
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { createArtifactStore } from '../../server/catalog/artifact-store.ts';
import { createCatalogHooks } from '../../server/catalog/hooks.ts';
import { datasetDir } from '../../server/catalog/test-data.ts';

const targetDir = process.argv[2] ?? datasetDir('synthetic');

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
}

/** A deterministic mix: exact names, name prefixes, column names, typos, tags and description words. */
function queries(names: string[], columns: string[], tags: string[]): string[] {
  const out: string[] = [];
  const typo = (word: string) => (word.length > 4 ? word.slice(0, 2) + word[3] + word[2] + word.slice(4) : word);
  for (let i = 0; out.length < 200; i++) {
    const name = names[(i * 37) % names.length] ?? 'orders';
    const column = columns[(i * 11) % columns.length] ?? 'id';
    switch (i % 6) {
      case 0:
        out.push(name);
        break;
      case 1:
        out.push(name.slice(0, Math.max(3, Math.floor(name.length / 2))));
        break;
      case 2:
        out.push(column);
        break;
      case 3:
        out.push(typo(name.split('__').pop() ?? name));
        break;
      case 4:
        out.push(tags[i % Math.max(1, tags.length)] ?? 'pii');
        break;
      default:
        out.push(`${column.split('_')[0]} record`);
    }
  }
  return out;
}

const delay = monitorEventLoopDelay({ resolution: 5 });
const hooks = createCatalogHooks();
const store = createArtifactStore({ workspace: { name: 'bench', targetDir }, hooks, watch: false });
delay.enable();
const started = performance.now();
await store.start();
const loadMs = performance.now() - started;
delay.disable();

const status = store.status();
if (status.state !== 'ready') throw new Error(`load failed: ${status.message}`);
const index = store.index();
const names = index.list.map((n) => n.name);
const columns = [...new Set(index.list.flatMap((n) => n.columns.map((c) => c.name)))];
const tags = [...new Set(index.list.flatMap((n) => n.tags))];
const search = store.searchIndex();

for (const q of queries(names, columns, tags).slice(0, 20)) search.search(q, 20); // warm up
const times: number[] = [];
let hits = 0;
for (const q of queries(names, columns, tags)) {
  const t = performance.now();
  hits += search.search(q, 20).hits.length;
  times.push(performance.now() - t);
}
times.sort((a, b) => a - b);

// SPEC B5's shape: a full reload with three enrichers, each patching every model, against none.
async function timedReload(): Promise<number> {
  const t = performance.now();
  await store.reload({ force: true });
  return performance.now() - t;
}
const plain = Math.min(await timedReload(), await timedReload());
const disposers = [1, 2, 3].map((n) =>
  hooks.artifactLoad.register({
    owner: `enricher-${n}`,
    handle: ({ index: current }) =>
      current.list
        .filter((node) => node.resourceType === 'model')
        .map((node) => ({ uniqueId: node.uniqueId, fields: { score: n, columns: node.columns.length } })),
  }),
);
const enriched = Math.min(await timedReload(), await timedReload());
for (const dispose of disposers) dispose();

const rows: [string, string][] = [
  [
    'manifest',
    `${status.artifacts.manifest?.schemaVersion} · ${index.list.length} catalog nodes, ${index.tests.size} tests`,
  ],
  ['load (read, check, index, search index)', `${loadMs.toFixed(0)} ms`],
  ['  of which index + search build', `${status.loadMs} ms`],
  ['longest event-loop stall during load', `${(delay.max / 1e6).toFixed(0)} ms`],
  ['search documents', String(status.counts.searchDocuments)],
  ['search p50 (200 queries, limit 20)', `${percentile(times, 50).toFixed(2)} ms`],
  ['search p99', `${percentile(times, 99).toFixed(2)} ms`],
  ['search max', `${(times[times.length - 1] ?? 0).toFixed(2)} ms`],
  ['hits returned', String(hits)],
  ['reload, no enrichers (best of 2)', `${plain.toFixed(0)} ms`],
  ['reload, 3 enrichers patching every model', `${enriched.toFixed(0)} ms (${(enriched / plain).toFixed(2)}x)`],
];
const width = Math.max(...rows.map(([k]) => k.length));
console.log(`catalog bench: ${targetDir}`);
for (const [key, value] of rows) console.log(`${key.padEnd(width)}  ${value}`);
await store.close();
