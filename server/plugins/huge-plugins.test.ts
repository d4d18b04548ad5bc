import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { PluginDetail } from '../../shared/api.schema.ts';
import { createCatalogFeature } from '../catalog/feature.ts';
import { createCatalogService } from '../catalog/service.ts';
import { copyArtifacts } from '../catalog/test-data.ts';
import { createSandboxFeature } from '../sandbox/feature.ts';
import { eventually } from '../sandbox/testing.ts';
import { coreLatencyDuring, GENEROUS_P99_MS } from '../testing/core-latency.ts';
import { startTestApp, type TestApp } from '../testing/test-app.ts';
import { writeZip } from '@dbt-workbench/plugin-sdk/node/zip-writer';

// Hostile plugin folders dropped into PLUGINS_DIRECTORY of a running server (the watcher finds them), each
// built elsewhere by another process and moved in at once, while the core API is measured from a third one:
// each is `invalid` with a reason naming what is too big, and nothing of it runs.

const run = promisify(execFile);
const CORE = '/api/workspaces/shop/models';
let app: TestApp;
let staging: string;

/**
 * A shell pipeline printing a manifest whose `field` (JSON text opening objects and a string) holds `bytes` bytes,
 * closed again.
 */
const manifestScript = (name: string, field: string, bytes: number) => {
  const close = '}'.repeat(field.split('{').length - field.split('}').length + 1);
  return (
    `{ printf '{"name":"${name}","version":"1.0.0","displayName":"x","description":"x","author":{"name":"x"},` +
    `"compatibility":{"workbench":"^0.1.0","pluginApi":1},"capabilities":[],${field}'; ` +
    `head -c ${bytes} /dev/zero | tr '\\0' 'a'; printf '"${close}'; } > manifest.json`
  );
};

/** Builds a plugin folder with `script` (run in it by sh) outside the plugins folder, then moves it in. */
async function dropIn(name: string, script: string): Promise<void> {
  const folder = path.join(staging, name);
  await run('sh', ['-c', `mkdir -p '${folder}' && cd '${folder}' && ${script}`], { maxBuffer: 1024 });
  await run('mv', [folder, path.join(app.dir, 'plugins', name)]);
}

async function detail(name: string): Promise<PluginDetail | undefined> {
  const response = await app.server.inject({ url: `/api/plugins/${name}`, headers: { cookie: app.adminCookie } });
  return response.statusCode === 200 ? (response.json() as PluginDetail) : undefined;
}

/** Drops a plugin in while the core API is measured, and waits for its verdict. */
async function attack(name: string, script: string) {
  const { core, attack: verdict } = await coreLatencyDuring(app, CORE, 3000, async () => {
    await new Promise((resolve) => setTimeout(resolve, 500));
    await dropIn(name, script);
    const found = await eventually(`${name} to be discovered`, async () => {
      const d = await detail(name);
      return d?.state ? d : undefined;
    });
    await new Promise((resolve) => setTimeout(resolve, 2000));
    return found;
  });
  console.info(`${name}: ${verdict.state} (${verdict.reason}); core API ${JSON.stringify(core)}`);
  expect(core.errors).toBe(0);
  expect(core.p99Ms).toBeLessThan(GENEROUS_P99_MS);
  return verdict;
}

beforeAll(async () => {
  staging = mkdtempSync(path.join(os.tmpdir(), 'wb-huge-'));
  const catalog = createCatalogService({ watch: false });
  app = await startTestApp({
    env: { PLUGINS_WATCH: 'true' },
    workspaces: [{ name: 'shop' }],
    features: [createCatalogFeature(catalog), createSandboxFeature()],
    prepare: (dir) => copyArtifacts('classic', path.join(dir, 'workspaces', 'shop', 'target')),
  });
}, 30_000);
afterAll(async () => {
  await app?.close();
  rmSync(staging, { recursive: true, force: true });
});

describe('hostile plugin folders in a running server', () => {
  test('a 48 MB manifest.json is refused by its size, never read', async () => {
    const verdict = await attack(
      'huge-manifest',
      manifestScript('huge-manifest', '"keywords":{"a":{"b":{"c":"', 48 * 1024 * 1024),
    );
    expect(verdict).toMatchObject({
      state: 'invalid',
      reason: 'manifest.json is 48 MB; at most 256 KB is read (PLUGIN_MAX_MANIFEST_KB)',
    });
  }, 30_000);

  test('a manifest with a 5 MB configuration schema is refused by its size too', async () => {
    const verdict = await attack(
      'huge-schema',
      manifestScript('huge-schema', '"configuration":{"schema":{"type":"object","description":"', 5 * 1024 * 1024),
    );
    expect(verdict).toMatchObject({
      state: 'invalid',
      reason: 'manifest.json is 5 MB; at most 256 KB is read (PLUGIN_MAX_MANIFEST_KB)',
    });
  }, 30_000);

  test('a 200 KB configuration schema (within the manifest limit) is refused before it is compiled', async () => {
    const properties = Array.from({ length: 2000 }, (_, i) => `"f${i}":{"type":"string","default":"x"}`).join(',');
    const manifest = JSON.stringify({
      name: 'wide-schema',
      version: '1.0.0',
      displayName: 'x',
      description: 'x',
      author: { name: 'x' },
      compatibility: { workbench: '^0.1.0', pluginApi: 1 },
      capabilities: [],
      configuration: { schema: JSON.parse(`{"type":"object","properties":{${properties}}}`) },
    });
    const verdict = await attack('wide-schema', `cat > manifest.json <<'EOF'\n${manifest}\nEOF`);
    expect(verdict.state).toBe('invalid');
    expect(verdict.reason).toMatch(/configuration\.schema: the schema takes \d+ KB as JSON; at most 16 KB are allowed/);
  }, 30_000);

  test('a package of 20,000 files in 2,000 folders is refused by its count, past the first 5,000', async () => {
    const verdict = await attack(
      'many-files',
      `${manifestScript('many-files', '"license":"', 3)} && mkdir static && cd static && seq 1 2000 | xargs mkdir && ` +
        `seq 1 2000 | awk '{ for (i = 0; i < 10; i++) print $1 "/f" i }' | xargs touch`,
    );
    expect(verdict).toMatchObject({
      state: 'invalid',
      reason: 'its package holds more than 5000 files (PLUGIN_MAX_PACKAGE_FILES)',
    });
  }, 60_000);

  test('installing a zip whose manifest.json is 48 MB answers 400 naming the size; nothing is installed', async () => {
    // 48 MB of one letter deflate to about 48 KB: a small upload that inflates to a huge manifest.
    const zip = writeZip([{ name: 'manifest.json', data: Buffer.alloc(48 * 1024 * 1024, 'a') }]);
    const { core, attack: response } = await coreLatencyDuring(app, CORE, 3000, async () => {
      await new Promise((resolve) => setTimeout(resolve, 500));
      return app.server.inject({
        method: 'POST',
        url: '/api/plugins/install',
        headers: { cookie: app.adminCookie, 'content-type': 'application/zip' },
        payload: zip,
      });
    });
    console.info(`48 MB manifest in a zip: ${response.statusCode}; core API ${JSON.stringify(core)}`);
    expect(response.statusCode).toBe(400);
    expect(response.json().error.message).toMatch(
      /manifest\.json is 48 MB; at most 256 KB is read \(PLUGIN_MAX_MANIFEST_KB\)/,
    );
    expect(core.errors).toBe(0);
    expect(core.p99Ms).toBeLessThan(GENEROUS_P99_MS);
  }, 30_000);
});
