import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { testManifest } from '../../shared/testing/manifests.ts';
import {
  configurationProblems,
  MAX_CONFIGURATION_SUBSCHEMAS,
  resolveConfig,
} from '@dbt-workbench/plugin-sdk/node/configuration';
import { readCandidate } from '@dbt-workbench/plugin-sdk/node/candidate';
import { MAX_PACKAGE_DEPTH, packageBoundsProblem } from '@dbt-workbench/plugin-sdk/node/package-bounds';
import {
  MAX_SCREENSHOTS,
  PluginManifest as PluginManifestSchema,
  type PluginManifest,
} from '@dbt-workbench/plugin-sdk/contracts/plugin-manifest.schema';
import { validate } from '@dbt-workbench/plugin-sdk/contracts/validation';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

/** A plugin folder with a valid manifest (or `manifestText` as is). */
function plugin(name: string, manifestText?: string): string {
  const dir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'wb-bounds-')), name);
  dirs.push(path.dirname(dir));
  fs.mkdirSync(dir);
  fs.writeFileSync(path.join(dir, 'manifest.json'), manifestText ?? JSON.stringify(testManifest(name)));
  return dir;
}

const limits = { maxManifestBytes: 4096, maxFiles: 20, maxBytes: 64 * 1024 };
const roomy = { ...limits, maxManifestBytes: 256 * 1024 };

describe('manifests larger than PLUGIN_MAX_MANIFEST_KB', () => {
  test('are refused by their size before they are read: the reason names the size and the limit', async () => {
    // Not JSON at all: had it been read, the reason would say so.
    const dir = plugin('big', `{"name": "big", "padding": "${'x'.repeat(2 * 1024 * 1024)}`);
    const candidate = await readCandidate(dir, limits);
    expect(candidate.manifest).toEqual({
      ok: false,
      error: 'manifest.json is 2 MB; at most 4 KB is read (PLUGIN_MAX_MANIFEST_KB)',
    });
    expect(candidate.packageDigest).toBeUndefined();
  });

  test("so is the built remote's mf-manifest.json", async () => {
    const dir = plugin(
      'remote',
      JSON.stringify(testManifest('remote', { frontend: { remote: 'mf-manifest.json', contributions: [] } })),
    );
    fs.mkdirSync(path.join(dir, 'frontend'));
    fs.writeFileSync(path.join(dir, 'frontend', 'mf-manifest.json'), JSON.stringify({ id: 'x'.repeat(10_000) }));
    expect((await readCandidate(dir, limits)).remoteManifest).toEqual({
      ok: false,
      error: 'mf-manifest.json is 10 KB; at most 4 KB is read (PLUGIN_MAX_MANIFEST_KB)',
    });
  });
});

describe('lists read before the manifest is validated', () => {
  test('a manifest naming 5,000 screenshots costs 21 checks, and is invalid', async () => {
    const screenshots = Array.from({ length: 5000 }, (_, i) => `shot-${i}.png`);
    const dir = plugin('shots', JSON.stringify(testManifest('shots', { icon: 'icon.svg', screenshots })));
    expect((await readCandidate(dir, roomy)).missingStaticFiles).toHaveLength(1 + MAX_SCREENSHOTS);
    const result = validate(PluginManifestSchema, testManifest('shots', { screenshots }));
    expect(result.ok ? [] : result.problems.map((p) => p.message)).toEqual([
      `screenshots: must list at most ${MAX_SCREENSHOTS} files`,
    ]);
  });
});

describe('packages larger than an uploaded package may be', () => {
  test('too many files: counting stops past the limit', async () => {
    const dir = plugin('many');
    fs.mkdirSync(path.join(dir, 'static'));
    for (let i = 0; i < 25; i++) fs.writeFileSync(path.join(dir, 'static', `f${i}.txt`), '');
    expect(await packageBoundsProblem(dir, limits)).toBe(
      'its package holds more than 20 files (PLUGIN_MAX_PACKAGE_FILES)',
    );
    const candidate = await readCandidate(dir, limits);
    expect(candidate.manifest).toEqual({
      ok: false,
      error: 'its package holds more than 20 files (PLUGIN_MAX_PACKAGE_FILES)',
    });
  });

  test('too many bytes, and folders nested too deep', async () => {
    const heavy = plugin('heavy');
    fs.mkdirSync(path.join(heavy, 'backend'));
    fs.writeFileSync(path.join(heavy, 'backend', 'blob.bin'), Buffer.alloc(100 * 1024));
    expect(await packageBoundsProblem(heavy, limits)).toBe('its package holds more than 64 KB (PLUGIN_MAX_PACKAGE_MB)');

    const deep = plugin('deep');
    const nested = path.join(deep, 'frontend', ...Array.from({ length: MAX_PACKAGE_DEPTH + 2 }, () => 'd'));
    fs.mkdirSync(nested, { recursive: true });
    expect(await packageBoundsProblem(deep, limits)).toMatch(/^frontend\/d\/d.* is nested more than 32 folders deep$/);
  });

  test('files outside frontend/, backend/ and static/ (sources, node_modules) do not count; within the limits is fine', async () => {
    const dir = plugin('fine');
    fs.mkdirSync(path.join(dir, 'node_modules', 'dep'), { recursive: true });
    for (let i = 0; i < 50; i++) fs.writeFileSync(path.join(dir, 'node_modules', 'dep', `${i}.js`), '');
    fs.mkdirSync(path.join(dir, 'backend'));
    fs.writeFileSync(path.join(dir, 'backend', 'index.ts'), 'export {}');
    expect(await packageBoundsProblem(dir, limits)).toBeUndefined();
    expect((await readCandidate(dir, limits)).manifest.ok).toBe(true);
  });
});

describe('configuration schemas', () => {
  const withSchema = (properties: number, description = 'a setting'): PluginManifest =>
    ({
      ...testManifest('configured'),
      configuration: {
        schema: {
          type: 'object',
          properties: Object.fromEntries(
            Array.from({ length: properties }, (_, i) => [`field${i}`, { type: 'string', default: 'x', description }]),
          ),
        },
      },
    }) as unknown as PluginManifest;

  test('too large or with too many subschemas are refused before they are compiled, with the reason', () => {
    expect(configurationProblems(withSchema(3, 'd'.repeat(20_000)))).toEqual([
      {
        field: 'configuration.schema',
        rule: 'json-schema',
        message: 'configuration.schema: the schema takes 59 KB as JSON; at most 16 KB are allowed',
      },
    ]);
    expect(configurationProblems(withSchema(MAX_CONFIGURATION_SUBSCHEMAS))[0]?.message).toBe(
      `configuration.schema: the schema has more than ${MAX_CONFIGURATION_SUBSCHEMAS} objects (subschemas); that is the most allowed`,
    );
    expect(resolveConfig(withSchema(MAX_CONFIGURATION_SUBSCHEMAS), undefined)).toMatchObject({ ok: false });
  });

  test('within the limits they validate and fill defaults, every time (compiled once, kept by their text)', () => {
    const manifest = withSchema(10);
    expect(configurationProblems(manifest)).toEqual([]);
    for (let i = 0; i < 3; i++) {
      const resolved = resolveConfig(manifest, { field1: 'set' });
      expect(resolved).toEqual({ ok: true, value: expect.objectContaining({ field0: 'x', field1: 'set' }) });
    }
    expect(resolveConfig(manifest, { field1: 42 })).toMatchObject({ ok: false });
    // Two plugins may use the same $id: each compile is dropped from Ajv's own registry.
    const identified = {
      ...manifest,
      configuration: { schema: { $id: 'https://example.com/same.json', type: 'object' } },
    };
    expect(configurationProblems(identified as PluginManifest)).toEqual([]);
    const other = {
      ...manifest,
      configuration: { schema: { $id: 'https://example.com/same.json', type: 'object', required: [] } },
    };
    expect(configurationProblems(other as PluginManifest)).toEqual([]);
  });
});
