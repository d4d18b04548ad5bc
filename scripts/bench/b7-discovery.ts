// SPEC B7: start-up discovery and validation of 500 realistic plugins through the registry the server builds
// (server/app.ts): every plugin has a frontend (a built remote's manifest, a page and a widget), a configuration
// schema with defaults, a backend (entry file, capabilities an admin approved, raised limits, a folder it may read), an
// icon and a README; discovery finds the folders, reads and hashes their files, validates manifests and remotes,
// judges grants against the protected paths, evaluates approvals, configuration and clashes, and snapshots every
// active revision into the data folder: timed on a first start (no snapshot yet, every revision is copied) and on a
// restart over the same data folder. Timed at 100, 250 and 500 plugins to show the per-plugin cost does not grow.
// Run alone: node scripts/bench/b7-discovery.ts
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pino } from 'pino';
import { accessKey, accessRequestOf } from '@dbt-workbench/plugin-sdk/contracts/access-request';
import { remoteNameFor } from '@dbt-workbench/plugin-sdk/contracts/versions';
import { testManifest } from '../../shared/testing/manifests.ts';
import { createPluginRegistry } from '../../server/plugins/registry.ts';
import { createSnapshots } from '../../server/plugins/snapshots.ts';
import { protectedPathsOf } from '../../server/sandbox/grant-rules.ts';
import { loadSettings } from '../../server/settings.ts';
import { median, ms, tempDir, type BenchRow } from './support.ts';

const SIZES = [100, 250, 500];
const RUNS = 5;
/** A folder outside the app, its data and the plugins, that every bench plugin's backend may read; settings resolve here. */
const shared = tempDir('wb-bench-b7-shared-');

/** One plugin as a team would ship it: UI, configuration, a sandboxed backend and their files. */
function pluginManifest(i: number) {
  const name = `bench-plugin-${i}`;
  return testManifest(name, {
    version: `1.${i % 7}.${i % 13}`,
    description: `Bench plugin ${i}: a page and a widget over a backend that enriches models.`,
    icon: 'icon.svg',
    capabilities: ['read-metadata', 'write-metadata', 'extend-api'],
    backend: { entry: 'index.js', limits: { timeoutMs: 10_000, memoryMb: 256 } },
    permissions: { fs: [{ path: shared, access: 'read' }] },
    configuration: {
      schema: {
        type: 'object',
        properties: {
          threshold: { type: 'number', minimum: 0, maximum: 100 },
          owners: { type: 'array', items: { type: 'string' } },
          mode: { type: 'string', enum: ['strict', 'lenient'] },
        },
        required: ['threshold'],
        additionalProperties: false,
      },
      default: { threshold: 50, owners: [], mode: 'lenient' },
    },
    frontend: {
      remote: 'mf-manifest.json',
      contributions: [
        { slot: 'nav.tab', id: 'tab', title: `Tab ${i}`, path: `bench-${i}`, module: './Page' },
        { slot: 'dashboard.widget', id: 'widget', title: `Widget ${i}`, module: './Widget' },
      ],
    },
  });
}

/** Writes `count` plugins into a new plugins folder. */
function writePlugins(count: number): string {
  const dir = tempDir('wb-bench-b7-');
  for (let i = 0; i < count; i++) {
    const manifest = pluginManifest(i);
    const pluginDir = path.join(dir, manifest.name as string);
    for (const sub of ['frontend', 'backend', 'static']) mkdirSync(path.join(pluginDir, sub), { recursive: true });
    writeFileSync(path.join(pluginDir, 'manifest.json'), JSON.stringify(manifest, null, 2));
    writeFileSync(
      path.join(pluginDir, 'frontend', 'mf-manifest.json'),
      JSON.stringify({
        name: remoteNameFor(manifest.name as string),
        exposes: [{ path: './Page' }, { path: './Widget' }],
      }),
    );
    writeFileSync(path.join(pluginDir, 'frontend', 'remoteEntry.js'), `/* remote ${i} */\n${'x'.repeat(20_000)}`);
    writeFileSync(path.join(pluginDir, 'backend', 'index.js'), `export async function activate() {}\n// ${i}\n`);
    writeFileSync(
      path.join(pluginDir, 'static', 'icon.svg'),
      `<svg xmlns="http://www.w3.org/2000/svg"><text>${i}</text></svg>`,
    );
    writeFileSync(path.join(pluginDir, 'README.md'), `# Bench plugin ${i}\n\nWhat it does.\n`);
  }
  return dir;
}

/** Discovers `pluginsDirectory` once with a new registry, as a server starting with `dataDirectory`; in ms. */
async function timeStart(pluginsDirectory: string, dataDirectory: string, count: number): Promise<number> {
  const settings = loadSettings({ PLUGINS_DIRECTORY: pluginsDirectory, WORKBENCH_DATA_DIR: dataDirectory }, shared);
  const policy = settings.capabilityPolicy;
  // Every version approved by an admin, as on a server that has run for a while: all of them become active.
  const approved = new Map(
    Array.from({ length: count }, (_, i) => pluginManifest(i)).map((m) => [
      `${m.name}@${m.version}`,
      accessRequestOf(m as never, policy.limits.defaults).map(accessKey),
    ]),
  );
  const registry = createPluginRegistry({
    pluginsDirectory,
    enabled: true,
    host: { version: '0.1.0', pluginApiVersions: [1] },
    loadRules: async () => ({
      approvedCapabilities: (name, version) => approved.get(`${name}@${version}`) ?? [],
      enablement: new Map(),
      configs: new Map(),
    }),
    policy,
    workspaces: ['default', 'finance', 'marketing'],
    defaultEnabled: true,
    protectedPaths: protectedPathsOf({ dataDirectory: settings.dataDirectory, pluginsDirectory, workspaces: [] }),
    snapshots: createSnapshots(path.join(settings.dataDirectory, 'plugin-snapshots')),
    limits: settings.pluginPackages,
    logger: pino({ level: 'silent' }),
  });
  const started = performance.now();
  const plugins = await registry.refresh();
  const elapsed = performance.now() - started;
  const inactive = plugins.filter((p) => p.state !== 'active');
  if (plugins.length !== count || inactive.length > 0)
    throw new Error(`bench plugins must all be active; ${inactive[0]?.name}: ${inactive[0]?.reason}`);
  if (plugins.some((p) => p.assetsDirectory === p.directory))
    throw new Error('every active plugin must be snapshotted');
  return elapsed;
}

/** A first start (no snapshot yet: every revision is copied) and a restart over the same data folder; in ms. */
async function timeStarts(pluginsDirectory: string, count: number): Promise<{ first: number; restart: number }> {
  const data = tempDir('wb-bench-b7-data-');
  try {
    const first = await timeStart(pluginsDirectory, data, count);
    return { first, restart: await timeStart(pluginsDirectory, data, count) };
  } finally {
    rmSync(data, { recursive: true, force: true });
  }
}

/** SPEC B7: start-up discovery and validation of 500 plugins, under 2 s, per-plugin cost not growing. */
export async function benchDiscovery(): Promise<BenchRow> {
  const first = new Map<number, number>();
  const restart = new Map<number, number>();
  for (const size of SIZES) {
    const dir = writePlugins(size);
    const runs = [];
    for (let i = 0; i < RUNS; i++) runs.push(await timeStarts(dir, size));
    first.set(size, median(runs.map((r) => r.first)));
    restart.set(size, median(runs.map((r) => r.restart)));
    rmSync(dir, { recursive: true, force: true });
  }
  rmSync(shared, { recursive: true, force: true });
  const largest = SIZES.at(-1)!;
  const perPlugin = SIZES.map((s) => first.get(s)! / s);
  const growth = perPlugin.at(-1)! / perPlugin[0]!;
  const worst = Math.max(first.get(largest)!, restart.get(largest)!);
  return {
    id: 'B7',
    what: `start-up discovery of ${largest} plugins, each with a frontend, a configuration schema and a backend: find, read, hash, validate (manifest, remote, grants), approvals, clashes, snapshots; first start (no snapshot yet) and restart, median of ${RUNS}`,
    result: `first start ${ms(first.get(largest)!)}, restart ${ms(restart.get(largest)!)}; first start per plugin ${perPlugin.map((p) => p.toFixed(2)).join(' / ')} ms at ${SIZES.join('/')} (${largest} vs ${SIZES[0]}: ${growth.toFixed(2)}x); load average ${os.loadavg()[0]!.toFixed(1)} on ${os.availableParallelism()} cores`,
    target: 'under 2 s, per-plugin cost not growing',
    pass: worst < 2000 && growth < 1.5,
  };
}

if (import.meta.main) console.log(await benchDiscovery());
