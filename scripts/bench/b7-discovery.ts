import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pino } from 'pino';
import { testManifest } from '../../shared/testing/manifests.ts';
import { remoteNameFor } from '@dbt-workbench/plugin-sdk/contracts/versions';
import { createPluginRegistry } from '../../server/plugins/registry.ts';
import { TEST_LIMITS } from '../../server/plugins/test-records.ts';
import { median, ms, tempDir, type BenchRow } from './support.ts';

/** Writes `count` plugins, each with a nav tab, a widget and a built remote's manifest. */
function writePlugins(count: number): string {
  const dir = tempDir('wb-bench-b7-');
  for (let i = 0; i < count; i++) {
    const name = `bench-plugin-${i}`;
    const pluginDir = path.join(dir, name);
    mkdirSync(path.join(pluginDir, 'frontend'), { recursive: true });
    const manifest = testManifest(name, {
      frontend: {
        remote: 'mf-manifest.json',
        contributions: [
          { slot: 'nav.tab', id: 'tab', title: `Tab ${i}`, path: `bench-${i}`, module: './Page' },
          { slot: 'dashboard.widget', id: 'widget', module: './Widget' },
        ],
      },
    });
    writeFileSync(path.join(pluginDir, 'manifest.json'), JSON.stringify(manifest, null, 2));
    writeFileSync(
      path.join(pluginDir, 'frontend', 'mf-manifest.json'),
      JSON.stringify({ name: remoteNameFor(name), exposes: [{ path: './Page' }, { path: './Widget' }] }),
    );
  }
  return dir;
}

async function timeDiscovery(dir: string): Promise<number> {
  const registry = createPluginRegistry({
    pluginsDirectory: dir,
    enabled: true,
    host: { version: '0.1.0', pluginApiVersions: [1] },
    loadRules: async () => ({ approvedCapabilities: () => [], enablement: new Map(), configs: new Map() }),
    policy: { autoApprove: [], forbidden: [], limits: TEST_LIMITS },
    workspaces: ['default'],
    defaultEnabled: true,
    logger: pino({ level: 'silent' }),
  });
  const started = performance.now();
  const plugins = await registry.refresh();
  const elapsed = performance.now() - started;
  if (plugins.filter((p) => p.state === 'active').length !== plugins.length)
    throw new Error('bench plugins must all be valid');
  return elapsed;
}

/** SPEC B7: start-up discovery and validation of 500 plugins, under 2 s and linear. */
export async function benchDiscovery(): Promise<BenchRow> {
  const sizes = [125, 250, 500];
  const times = new Map<number, number>();
  for (const size of sizes) {
    const dir = writePlugins(size);
    const runs = [];
    for (let i = 0; i < 5; i++) runs.push(await timeDiscovery(dir));
    times.set(size, median(runs));
  }
  const t500 = times.get(500)!;
  const perPlugin = sizes.map((s) => times.get(s)! / s);
  const linear = Math.max(...perPlugin) / Math.min(...perPlugin);
  return {
    id: 'B7',
    what: 'discovery and validation of 500 plugins (median of 5)',
    result: `${ms(t500)}; per plugin ${perPlugin.map((p) => p.toFixed(2)).join(' / ')} ms at 125/250/500 (spread ${linear.toFixed(2)}x)`,
    target: 'under 2 s, linear',
    pass: t500 < 2000 && linear < 1.5,
  };
}
