// SPEC B5: artifact load of a 5,000+ node manifest with 3 enrichers (three sandboxed plugin backends whose
// `onArtifactLoad` returns a few patches) against none. The manifest is generated at bench time by
// fixtures/dbt-artifacts/tools/generate_large_manifest.mjs (--models 1500: about 6,000 nodes) and never committed.
// Run alone: node scripts/bench/b5-enrichers.ts
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
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

/** An enricher that reads nothing and patches a few known models: the plugin's cost, not its work. */
const enricherCode = (models: string[], n: number) => `export async function activate(host) {
  const models = ${JSON.stringify(models)};
  await host.metadata.onArtifactLoad(() => models.map((uniqueId) => ({ uniqueId, fields: { score: ${n} } })));
}
`;

/** Generates the manifest into `targetDir` and returns its node count and a few model ids. */
function generate(targetDir: string): { nodes: number; models: string[] } {
  mkdirSync(targetDir, { recursive: true });
  execFileSync(process.execPath, [GENERATOR, '--models', '1500', '--out', targetDir, '--seed', '42'], {
    stdio: 'ignore',
  });
  const manifest = JSON.parse(readFileSync(path.join(targetDir, 'manifest.json'), 'utf8')) as {
    nodes: Record<string, { resource_type: string }>;
    sources: Record<string, unknown>;
  };
  const ids = Object.keys(manifest.nodes);
  const models = ids.filter((id) => manifest.nodes[id]!.resource_type === 'model').slice(0, 5);
  return { nodes: ids.length + Object.keys(manifest.sources).length, models };
}

export async function benchEnrichers(): Promise<BenchRow> {
  const catalog = createCatalogService({ watch: false });
  let generated = { nodes: 0, models: [] as string[] };
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
          const manifest = testManifest(name, { capabilities: ['write-metadata'], backend: { entry: 'index.ts' } });
          writeFileSync(path.join(folder, 'manifest.json'), JSON.stringify(manifest));
          writeFileSync(path.join(folder, 'backend', 'index.ts'), enricherCode(generated.models, n));
        });
      },
    });
    const server = app;
    const store = catalog.store(WORKSPACE)!;
    for (const name of ENRICHERS) await approve(server, name);

    /** Which enrichers' fields the served index carries on the first patched model. */
    const owners = () => {
      const node = store.index().nodes.get(generated.models[0]!) as { extensions?: Record<string, unknown> };
      return Object.keys(node?.extensions ?? {}).filter((k) => ENRICHERS.includes(k)).length;
    };
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
      what: `artifact load (reload to index served) of a ${generated.nodes.toLocaleString('en')}-node manifest, 3 sandboxed enrichers vs none`,
      result: `${ratio.toFixed(2)}x (p50 ${ms(a)} vs ${ms(b)}, ${withEnrichers.length} loads each)`,
      target: 'at most 2x',
      pass: ratio <= 2,
    };
  } finally {
    await app?.close();
  }
}

if (import.meta.main) console.log(await benchEnrichers());
