import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { testManifest, type ManifestDoc } from '../../shared/testing/manifests.ts';
import { remoteNameFor } from '@dbt-workbench/plugin-sdk/contracts/versions';
import { readCandidate } from '@dbt-workbench/plugin-sdk/node/candidate';
import { findPluginDirectories } from './discovery.ts';
import { createPluginRegistry, type RegisteredPlugin } from './registry.ts';
import { TEST_LIMITS } from './test-records.ts';

type Doc = ManifestDoc;

const logger = pino({ level: 'silent' });
const tempDirs: string[] = [];
let root: string;

function tempDir(prefix: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  tempDirs.push(dir);
  return dir;
}

beforeEach(() => {
  root = tempDir('wb-discovery-');
});

afterEach(() => {
  for (const dir of tempDirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

const manifest = testManifest;

function withFrontend(name: string, modules: string[]): Doc {
  return manifest(name, {
    frontend: {
      remote: 'mf-manifest.json',
      contributions: modules.map((module, i) => ({ slot: 'dashboard.widget', id: `widget-${i}`, module })),
    },
  });
}

/** Writes `<base>/<relative>/manifest.json` (as JSON, or raw text when given a string); returns the folder. */
function writePlugin(base: string, relative: string, content: Doc | string): string {
  const dir = path.join(base, relative);
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(
    path.join(dir, 'manifest.json'),
    typeof content === 'string' ? content : JSON.stringify(content, null, 2),
  );
  return dir;
}

function writeRemote(pluginDir: string, remote: Doc): void {
  fs.mkdirSync(path.join(pluginDir, 'frontend'), { recursive: true });
  fs.writeFileSync(path.join(pluginDir, 'frontend', 'mf-manifest.json'), JSON.stringify(remote));
}

function builtRemote(name: string, modules: string[]): Doc {
  return {
    id: remoteNameFor(name),
    name: remoteNameFor(name),
    exposes: modules.map((p) => ({ id: `${name}:${p}`, name: p.slice(2), path: p })),
  };
}

async function discover(
  options: { enabled?: boolean; pluginsDirectory?: string } = {},
): Promise<readonly RegisteredPlugin[]> {
  const registry = createPluginRegistry({
    pluginsDirectory: options.pluginsDirectory ?? root,
    enabled: options.enabled ?? true,
    host: { version: '0.1.0', pluginApiVersions: [1] },
    loadRules: async () => ({ approvedCapabilities: () => [], enablement: new Map(), configs: new Map() }),
    policy: { autoApprove: [], forbidden: [], limits: TEST_LIMITS },
    workspaces: ['default'],
    defaultEnabled: true,
    logger,
  });
  const plugins = await registry.refresh();
  expect(registry.list()).toBe(plugins);
  return plugins;
}

function byName(plugins: readonly RegisteredPlugin[], name: string): RegisteredPlugin {
  const found = plugins.find((p) => p.name === name);
  if (!found) throw new Error(`no plugin "${name}" among ${plugins.map((p) => p.name).join(', ')}`);
  return found;
}

describe('plugin discovery through the registry', () => {
  test('a plugin with a built frontend exposing its modules is active', async () => {
    const dir = writePlugin(root, 'data-quality', withFrontend('data-quality', ['./Summary', './Trend']));
    writeRemote(dir, builtRemote('data-quality', ['./Summary', './Trend']));
    const plugins = await discover();
    expect(plugins).toHaveLength(1);
    expect(plugins[0]).toMatchObject({ name: 'data-quality', state: 'active', directory: dir });
    expect(plugins[0]!.revision).toMatch(/^1\.0\.0-[0-9a-f]{10}$/);
    expect(Number.isNaN(Date.parse(plugins[0]!.discoveredAt))).toBe(false);
  });

  test('a frontend built under the wrong remote name is invalid', async () => {
    const dir = writePlugin(root, 'data-quality', withFrontend('data-quality', ['./Summary']));
    writeRemote(dir, { ...builtRemote('data-quality', ['./Summary']), name: 'data_quality' });
    const plugin = byName(await discover(), 'data-quality');
    expect(plugin.state).toBe('invalid');
    expect(plugin.reason).toContain('wb_data_quality');
  });

  test('a frontend that was never built is invalid', async () => {
    writePlugin(root, 'data-quality', withFrontend('data-quality', ['./Summary']));
    const plugin = byName(await discover(), 'data-quality');
    expect(plugin.state).toBe('invalid');
    expect(plugin.reason).toContain('missing');
  });

  test('a plugin without a frontend is active', async () => {
    writePlugin(root, 'backend-only', manifest('backend-only'));
    expect(byName(await discover(), 'backend-only').state).toBe('active');
  });

  test('invalid JSON is invalid, named by its folder', async () => {
    writePlugin(root, 'broken', '{ "name": "broken", ');
    const plugin = byName(await discover(), 'broken');
    expect(plugin.state).toBe('invalid');
    expect(plugin.reason).toContain('not valid JSON');
  });

  test('a missing required field is invalid and lists the problem', async () => {
    const json = manifest('no-author');
    delete json.author;
    writePlugin(root, 'no-author', json);
    const plugin = byName(await discover(), 'no-author');
    expect(plugin.state).toBe('invalid');
    expect(plugin.problems).toEqual([expect.objectContaining({ field: 'author', rule: 'required' })]);
  });

  test('a version that is not semver is invalid', async () => {
    writePlugin(root, 'bad-version', manifest('bad-version', { version: '1.0' }));
    const plugin = byName(await discover(), 'bad-version');
    expect(plugin.state).toBe('invalid');
    expect(plugin.problems).toEqual([expect.objectContaining({ field: 'version', rule: 'semver' })]);
  });

  test('an incompatible workbench range is incompatible', async () => {
    writePlugin(root, 'future', manifest('future', { compatibility: { workbench: '>=2.0.0', pluginApi: 1 } }));
    const plugin = byName(await discover(), 'future');
    expect(plugin.state).toBe('incompatible');
    expect(plugin.reason).toContain('>=2.0.0');
  });

  test('capabilities without approval are pending-approval', async () => {
    writePlugin(root, 'reader', manifest('reader', { capabilities: ['read-metadata'] }));
    const plugin = byName(await discover(), 'reader');
    expect(plugin.state).toBe('pending-approval');
    expect(plugin.reason).toContain('read-metadata');
  });

  test('the same name in two nested folders makes both invalid', async () => {
    const a = writePlugin(root, 'team-a/foo', manifest('foo'));
    const b = writePlugin(root, 'team-b/foo', manifest('foo'));
    const plugins = await discover();
    expect(plugins.map((p) => [p.directory, p.state])).toEqual([
      [a, 'invalid'],
      [b, 'invalid'],
    ]);
    for (const p of plugins) {
      expect(p.reason).toContain(a);
      expect(p.reason).toContain(b);
    }
  });

  test('a directory without manifest.json is not listed', async () => {
    writePlugin(root, 'real', manifest('real'));
    fs.mkdirSync(path.join(root, 'not-a-plugin'));
    fs.writeFileSync(path.join(root, 'not-a-plugin', 'README.md'), 'hello');
    fs.writeFileSync(path.join(root, 'stray-file.json'), '{}');
    expect((await discover()).map((p) => p.name)).toEqual(['real']);
  });

  test('a missing plugins directory gives an empty list', async () => {
    expect(await discover({ pluginsDirectory: path.join(root, 'does-not-exist') })).toEqual([]);
  });

  test('disabled, nothing is discovered even when plugins exist', async () => {
    writePlugin(root, 'real', manifest('real'));
    expect(await discover({ enabled: false })).toEqual([]);
  });

  test('a symlinked plugin folder is discovered under the link name', async () => {
    const elsewhere = tempDir('wb-linked-');
    const real = writePlugin(elsewhere, 'checkout-of-linked', manifest('linked'));
    fs.symlinkSync(real, path.join(root, 'linked'), 'dir');
    const plugins = await discover();
    expect(plugins).toHaveLength(1);
    expect(plugins[0]).toMatchObject({ name: 'linked', state: 'active', directory: path.join(root, 'linked') });
  });
});

describe('findPluginDirectories', () => {
  test('finds nested plugins down to three levels, not deeper, sorted', async () => {
    const one = writePlugin(root, 'one', manifest('one'));
    const two = writePlugin(root, 'group/two', manifest('two'));
    const three = writePlugin(root, 'group/sub/three', manifest('three'));
    writePlugin(root, 'group/sub/deeper/four', manifest('four'));
    expect(await findPluginDirectories(root, logger)).toEqual([three, two, one].sort());
  });

  test('does not search inside a plugin folder', async () => {
    const outer = writePlugin(root, 'outer', manifest('outer'));
    writePlugin(root, 'outer/inner', manifest('inner'));
    expect(await findPluginDirectories(root, logger)).toEqual([outer]);
  });

  test.each(['node_modules', 'src', 'frontend', 'backend', 'static', 'dist', '.hidden'])(
    'does not search folders named %s',
    async (skipped) => {
      const kept = writePlugin(root, 'kept', manifest('kept'));
      writePlugin(root, `${skipped}/inside`, manifest('inside'));
      writePlugin(root, `group/${skipped}/nested`, manifest('nested'));
      expect(await findPluginDirectories(root, logger)).toEqual([kept]);
    },
  );

  test('a plugins directory that is a file gives an empty list', async () => {
    const file = path.join(root, 'plugins');
    fs.writeFileSync(file, '');
    expect(await findPluginDirectories(file, logger)).toEqual([]);
  });
});

describe('readCandidate', () => {
  function setUp(): string {
    const dir = writePlugin(root, 'data-quality', withFrontend('data-quality', ['./Summary']));
    writeRemote(dir, builtRemote('data-quality', ['./Summary']));
    return dir;
  }

  test('reads the manifest, the remote manifest and the folder name', async () => {
    const dir = setUp();
    const candidate = await readCandidate(dir);
    expect(candidate.directory).toBe(dir);
    expect(candidate.folderName).toBe('data-quality');
    expect(candidate.manifest).toEqual({ ok: true, json: withFrontend('data-quality', ['./Summary']) });
    expect(candidate.remoteManifest).toEqual({ ok: true, json: builtRemote('data-quality', ['./Summary']) });
    expect(candidate.contentHash).toMatch(/^[0-9a-f]{10}$/);
  });

  test('a plugin without a frontend has no remote manifest', async () => {
    const candidate = await readCandidate(writePlugin(root, 'plain', manifest('plain')));
    expect(candidate.remoteManifest).toBeUndefined();
  });

  test('lists the icon and screenshots missing from static/', async () => {
    const dir = writePlugin(
      root,
      'pics',
      manifest('pics', { icon: 'icon.svg', screenshots: ['shots/one.png', 'two.png'] }),
    );
    fs.mkdirSync(path.join(dir, 'static', 'shots'), { recursive: true });
    fs.writeFileSync(path.join(dir, 'static', 'shots', 'one.png'), '');
    expect((await readCandidate(dir)).missingStaticFiles).toEqual(['icon.svg', 'two.png']);
  });

  test('an unparsable remote manifest is reported, not thrown', async () => {
    const dir = setUp();
    fs.writeFileSync(path.join(dir, 'frontend', 'mf-manifest.json'), 'not json');
    const candidate = await readCandidate(dir);
    expect(candidate.remoteManifest).toMatchObject({ ok: false, error: expect.stringContaining('not valid JSON') });
  });

  test('the content hash is stable while nothing changes', async () => {
    const dir = setUp();
    const first = await readCandidate(dir);
    const second = await readCandidate(dir);
    expect(second.contentHash).toBe(first.contentHash);
  });

  test('the content hash changes when mf-manifest.json changes', async () => {
    const dir = setUp();
    const before = await readCandidate(dir);
    writeRemote(dir, builtRemote('data-quality', ['./Summary', './Trend']));
    const after = await readCandidate(dir);
    expect(after.contentHash).not.toBe(before.contentHash);
  });

  test('the content hash changes when manifest.json changes', async () => {
    const dir = setUp();
    const before = await readCandidate(dir);
    writePlugin(root, 'data-quality', { ...withFrontend('data-quality', ['./Summary']), version: '1.0.1' });
    expect((await readCandidate(dir)).contentHash).not.toBe(before.contentHash);
  });

  test('files other than the two manifests do not change the hash', async () => {
    const dir = setUp();
    const before = await readCandidate(dir);
    fs.writeFileSync(path.join(dir, 'frontend', 'remoteEntry.js'), 'console.log(1)');
    fs.writeFileSync(path.join(dir, 'README.md'), 'docs');
    expect((await readCandidate(dir)).contentHash).toBe(before.contentHash);
  });
});
