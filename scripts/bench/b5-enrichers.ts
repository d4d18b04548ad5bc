// SPEC B5: artifact load of a 5,000+ node manifest with 3 enrichers against none. Each enricher is a sandboxed
// plugin backend doing real work on every load: it reads the manifest the load is for (with `read-metadata`),
// looks at every node's metadata (description, columns, tags, dependencies) and returns a patch for every node
// (`write-metadata`), which the server checks and merges into the served index. The manifest is generated at bench
// time by fixtures/dbt-artifacts/tools/generate_large_manifest.mjs (--models 1500: about 6,000 nodes) and never
// committed. Run alone: node scripts/bench/b5-enrichers.ts
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createCatalogFeature } from '../../server/catalog/feature.ts';
import { createCatalogService } from '../../server/catalog/service.ts';
import { createSandboxFeature } from '../../server/sandbox/feature.ts';
import { approve } from '../../server/sandbox/testing.ts';
import { startTestApp, type TestApp } from '../../server/testing/test-app.ts';
import { testManifest } from '../../shared/testing/manifests.ts';
import { median, ms, root, type BenchRow } from './support.ts';
import { until } from './sandbox-support.ts';

const GENERATOR = path.join(root, 'fixtures/dbt-artifacts/tools/generate_large_manifest.mjs');
const WORKSPACE = 'big';
const ENRICHERS = ['bench-enricher-0', 'bench-enricher-1', 'bench-enricher-2'];
const ROUNDS = 4;
const RELOADS_PER_ROUND = 3;

/**
 * An enricher that reads every node's metadata from the load's manifest (tests included, to count each node's
 * tests) and patches every node the catalog serves with what it found: whether it is documented, its column
 * coverage, its tag, parent and test counts.
 */
const enricherCode = (n: number) => `import { readFile } from 'node:fs/promises';
export async function activate(host) {
  await host.metadata.onArtifactLoad(async ({ artifacts }) => {
    const manifest = JSON.parse(await readFile(artifacts.manifest, 'utf8'));
    const nodes = [...Object.values(manifest.nodes), ...Object.values(manifest.sources ?? {})];
    const tests = new Map();
    for (const node of nodes) {
      if (node.resource_type !== 'test') continue;
      for (const parent of node.depends_on?.nodes ?? []) tests.set(parent, (tests.get(parent) ?? 0) + 1);
    }
    return nodes
      .filter((node) => node.resource_type !== 'test')
      .map((node) => {
        const columns = Object.values(node.columns ?? {});
        const described = columns.filter((c) => (c.description ?? '').trim().length > 0).length;
        return {
          uniqueId: node.unique_id,
          fields: {
            enricher: ${n},
            documented: (node.description ?? '').trim().length > 0,
            columnCoverage: columns.length === 0 ? null : described / columns.length,
            tags: (node.tags ?? []).length,
            parents: (node.depends_on?.nodes ?? []).length,
            tests: tests.get(node.unique_id) ?? 0,
          },
        };
      });
  });
}
`;

/** Generates the manifest into `targetDir`; returns its node count and a few ids of served (non-test) nodes. */
function generate(targetDir: string): { nodes: number; sample: string[] } {
  mkdirSync(targetDir, { recursive: true });
  execFileSync(process.execPath, [GENERATOR, '--models', '1500', '--out', targetDir, '--seed', '42'], {
    stdio: 'ignore',
  });
  const manifest = JSON.parse(readFileSync(path.join(targetDir, 'manifest.json'), 'utf8')) as {
    nodes: Record<string, { resource_type: string }>;
    sources: Record<string, unknown>;
  };
  const ids = Object.keys(manifest.nodes);
  const served = [
    ...ids.filter((id) => manifest.nodes[id]!.resource_type !== 'test'),
    ...Object.keys(manifest.sources),
  ];
  const sample = [0, 0.25, 0.5, 0.75, 1].map(
    (at) => served[Math.min(served.length - 1, Math.floor(at * served.length))]!,
  );
  return { nodes: ids.length + Object.keys(manifest.sources).length, sample };
}

export async function benchEnrichers(): Promise<BenchRow> {
  const catalog = createCatalogService({ watch: false });
  let generated = { nodes: 0, sample: [] as string[] };
  let app: TestApp | undefined;
  try {
    app = await startTestApp({
      env: { PLUGINS_WATCH: 'false' },
      workspaces: [{ name: WORKSPACE }],
      features: [createCatalogFeature(catalog), createSandboxFeature({ catalog })],
      prepare: (dir) => {
        generated = generate(path.join(dir, 'workspaces', WORKSPACE, 'target'));
        ENRICHERS.forEach((name, n) => {
          const folder = path.join(dir, 'plugins', name);
          mkdirSync(path.join(folder, 'backend'), { recursive: true });
          const manifest = testManifest(name, {
            capabilities: ['read-metadata', 'write-metadata'],
            backend: { entry: 'index.ts' },
          });
          writeFileSync(path.join(folder, 'manifest.json'), JSON.stringify(manifest));
          writeFileSync(path.join(folder, 'backend', 'index.ts'), enricherCode(n));
        });
      },
    });
    const server = app;
    const store = catalog.store(WORKSPACE)!;
    for (const name of ENRICHERS) await approve(server, name);

    /** How many enrichers' fields the served index carries on every sampled node (the fewest of them). */
    const owners = () =>
      Math.min(
        ...generated.sample.map((id) => {
          const node = store.index().nodes.get(id) as { extensions?: Record<string, unknown> } | undefined;
          return Object.keys(node?.extensions ?? {}).filter((k) => ENRICHERS.includes(k)).length;
        }),
      );
    const setEnrichers = async (on: boolean) => {
      for (const name of ENRICHERS)
        await server.server.inject({
          method: 'POST',
          url: `/api/plugins/${name}/${on ? 'enable' : 'disable'}`,
          headers: { cookie: server.adminCookie },
        });
      await until(`enrichers ${on ? 'on' : 'off'}`, async () => {
        await store.reload({ force: true });
        return owners() === (on ? 3 : 0);
      });
    };
    /** Time from a reload request to the new index being served. */
    const reload = async () => {
      const started = performance.now();
      await store.reload({ force: true });
      return performance.now() - started;
    };

    await setEnrichers(true);
    const withEnrichers: number[] = [];
    const without: number[] = [];
    await reload(); // warm up
    for (let round = 0; round < ROUNDS; round++) {
      // Alternate, so drift in the machine's speed falls on both sides.
      for (const on of round % 2 === 0 ? [true, false] : [false, true]) {
        await setEnrichers(on);
        for (let i = 0; i < RELOADS_PER_ROUND; i++) (on ? withEnrichers : without).push(await reload());
      }
    }
    const a = median(withEnrichers);
    const b = median(without);
    const ratio = a / b;
    return {
      id: 'B5',
      what: `artifact load (reload to index served) of a ${generated.nodes.toLocaleString('en')}-node manifest, 3 sandboxed enrichers that each read the manifest and patch every node, vs none`,
      result: `${ratio.toFixed(2)}x (p50 ${ms(a)} vs ${ms(b)}, ${withEnrichers.length} loads each; load average ${os.loadavg()[0]!.toFixed(1)} on ${os.availableParallelism()} cores)`,
      target: 'at most 2x',
      pass: ratio <= 2,
    };
  } finally {
    await app?.close();
  }
}

if (import.meta.main) console.log(await benchEnrichers());
