import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { testManifest } from '../../../shared/testing/manifests.ts';
import { readCandidate } from '@dbt-workbench/plugin-sdk/node/candidate';
import { evaluatePlugins, type PluginRecord } from '../evaluate.ts';
import { TEST_LIMITS } from '../test-records.ts';
import { canonicalJson, packageDigest, packageFiles } from '@dbt-workbench/plugin-sdk/node/digest';
import { generateSigningKey, type TrustedKey } from '@dbt-workbench/plugin-sdk/node/keys';
import { signPluginDirectory } from '@dbt-workbench/plugin-sdk/node/sign';
import { checkSignature, type SignatureMode } from '@dbt-workbench/plugin-sdk/node/verify';

/** A plugin folder with a manifest, one backend file, and source files that are not part of the package. */
function pluginFolder(name = 'signed-one'): string {
  const dir = path.join(mkdtempSync(path.join(os.tmpdir(), 'wb-sign-')), name);
  mkdirSync(path.join(dir, 'backend'), { recursive: true });
  mkdirSync(path.join(dir, 'src'), { recursive: true });
  writeFileSync(
    path.join(dir, 'manifest.json'),
    JSON.stringify(testManifest(name, { backend: { entry: 'index.js' } })),
  );
  writeFileSync(path.join(dir, 'backend', 'index.js'), 'export function activate() {}\n');
  writeFileSync(path.join(dir, 'src', 'Draft.tsx'), 'export default 1;\n');
  return dir;
}

const team = generateSigningKey('Data team');
const trusted = new Map<string, TrustedKey>([[team.publicKey.keyId, team.publicKey]]);

async function evaluateFolder(dir: string, mode: SignatureMode): Promise<PluginRecord> {
  const [record] = evaluatePlugins({
    candidates: [await readCandidate(dir)],
    host: { version: '0.1.0', pluginApiVersions: [1] },
    approvedCapabilities: () => [],
    policy: { autoApprove: [], forbidden: [], signatures: { mode, trustedKeys: trusted }, limits: TEST_LIMITS },
    enablement: () => undefined,
    storedConfig: () => undefined,
    workspaces: ['default'],
    defaultEnabled: true,
  });
  return record!;
}

describe('the canonical package digest', () => {
  test('covers manifest.json and the package folders, sorted, but not src/', async () => {
    const dir = pluginFolder();
    expect(await packageFiles(dir)).toEqual(['backend/index.js', 'manifest.json']);
    const before = await packageDigest(dir);
    writeFileSync(path.join(dir, 'src', 'Draft.tsx'), 'export default 2;\n');
    expect(await packageDigest(dir)).toBe(before);
    writeFileSync(path.join(dir, 'backend', 'index.js'), 'export function activate() { /* changed */ }\n');
    expect(await packageDigest(dir)).not.toBe(before);
  });

  test("ignores the manifest's signature field, its key order and its whitespace", async () => {
    const dir = pluginFolder();
    const before = await packageDigest(dir);
    const manifest = JSON.parse(readFileSync(path.join(dir, 'manifest.json'), 'utf8')) as Record<string, unknown>;
    const reordered = Object.fromEntries(Object.entries(manifest).reverse());
    const signature = { algorithm: 'ed25519', keyId: 'k', value: 'AAAA' };
    writeFileSync(path.join(dir, 'manifest.json'), JSON.stringify({ ...reordered, signature }, null, 4));
    expect(await packageDigest(dir)).toBe(before);
    expect(canonicalJson({ b: 1, a: [{ d: 2, c: 3 }] })).toBe('{"a":[{"c":3,"d":2}],"b":1}');
  });
});

describe('checkSignature', () => {
  test('tells verified, unsigned, untrusted and tampered apart', async () => {
    const dir = pluginFolder();
    const { signature, digest } = await signPluginDirectory(dir, team.privateKey);
    expect(signature.keyId).toBe(team.publicKey.keyId);
    expect(checkSignature(signature, digest, trusted)).toEqual({
      status: 'verified',
      keyId: team.publicKey.keyId,
      signedBy: `Data team (key ${team.publicKey.keyId})`,
    });
    expect(checkSignature(undefined, digest, trusted)).toEqual({ status: 'unsigned' });
    expect(checkSignature(signature, digest, new Map())).toMatchObject({ status: 'untrusted' });
    expect(checkSignature(signature, 'f'.repeat(64), trusted)).toMatchObject({ status: 'tampered' });
    const other = generateSigningKey();
    const forged = await signPluginDirectory(dir, other.privateKey, team.publicKey.keyId);
    expect(checkSignature(forged.signature, forged.digest, trusted)).toMatchObject({ status: 'tampered' });
  });
});

describe('the signing policy in evaluation', () => {
  test('require: a signed, trusted, untouched plugin is active and says who signed it', async () => {
    const dir = pluginFolder();
    await signPluginDirectory(dir, team.privateKey);
    const record = await evaluateFolder(dir, 'require');
    expect(record.state).toBe('active');
    expect(record.signature).toMatchObject({ status: 'verified', signedBy: expect.stringContaining('Data team') });
  });

  test('require: unsigned, untrusted and tampered plugins are invalid with the reason', async () => {
    const unsigned = await evaluateFolder(pluginFolder(), 'require');
    expect(unsigned).toMatchObject({ state: 'invalid', reason: expect.stringContaining('is not signed') });

    const untrustedDir = pluginFolder();
    await signPluginDirectory(untrustedDir, generateSigningKey().privateKey);
    expect(await evaluateFolder(untrustedDir, 'require')).toMatchObject({
      state: 'invalid',
      reason: expect.stringContaining('which this server does not trust'),
    });

    const tamperedDir = pluginFolder();
    await signPluginDirectory(tamperedDir, team.privateKey);
    writeFileSync(path.join(tamperedDir, 'backend', 'index.js'), 'export function activate() { steal(); }\n');
    expect(await evaluateFolder(tamperedDir, 'require')).toMatchObject({
      state: 'invalid',
      reason: expect.stringContaining('changed after it was signed'),
    });
  });

  test('warn: an unsigned plugin loads, shown as unsigned; an untrusted or tampered signature is refused; off: no check', async () => {
    const unsigned = await evaluateFolder(pluginFolder(), 'warn');
    expect(unsigned).toMatchObject({ state: 'active', signature: { status: 'unsigned' }, warnings: [] });

    const untrustedDir = pluginFolder();
    await signPluginDirectory(untrustedDir, generateSigningKey().privateKey);
    expect(await evaluateFolder(untrustedDir, 'warn')).toMatchObject({
      state: 'invalid',
      reason: expect.stringMatching(/^refused by PLUGIN_SIGNATURES=warn: .*which this server does not trust/),
    });

    const dir = pluginFolder();
    await signPluginDirectory(dir, team.privateKey);
    const manifest = JSON.parse(readFileSync(path.join(dir, 'manifest.json'), 'utf8')) as Record<string, unknown>;
    writeFileSync(path.join(dir, 'manifest.json'), JSON.stringify({ ...manifest, description: 'Now different.' }));
    expect(await evaluateFolder(dir, 'warn')).toMatchObject({
      state: 'invalid',
      reason: expect.stringContaining('changed after it was signed'),
      signature: { status: 'tampered' },
    });
    const off = await evaluateFolder(dir, 'off');
    expect(off.state).toBe('active');
    expect(off.warnings).toEqual([]);
    expect(off.signature).toBeUndefined();
  });

  test.each(['backend/lib/extra.js', 'frontend/chunk.js', 'static/icon.svg', 'backend/node_modules/dep/index.js'])(
    'the signature covers every shipped file: adding %s after signing is refused',
    async (file) => {
      const dir = pluginFolder();
      await signPluginDirectory(dir, team.privateKey);
      mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
      writeFileSync(path.join(dir, file), 'steal();\n');
      expect(await evaluateFolder(dir, 'warn')).toMatchObject({ state: 'invalid', signature: { status: 'tampered' } });
    },
  );
});
