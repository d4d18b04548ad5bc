// The CLI as a plugin team uses it: create, build, validate, keygen, sign, pack; and its errors.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { readZipEntries } from '@dbt-workbench/plugin-sdk/node/zip-reader';
import { packageDigest } from '@dbt-workbench/plugin-sdk/node/digest';
import { checkSignature } from '@dbt-workbench/plugin-sdk/node/verify';
import type { TrustedKey } from '@dbt-workbench/plugin-sdk/node/keys';

const root = path.resolve(import.meta.dirname, '../../..');

function cli(...args: string[]): { code: number; out: string; err: string } {
  const result = spawnSync(process.execPath, [path.join(root, 'packages/cli/dist/bin.js'), ...args], {
    encoding: 'utf8',
    cwd: root,
  });
  return { code: result.status ?? -1, out: result.stdout, err: result.stderr };
}

describe('workbench-plugin', () => {
  test('create, build, validate, keygen, sign and pack make a signed zip with its checksum', () => {
    const parent = mkdtempSync(path.join(os.tmpdir(), 'wb-cli-'));
    const dir = path.join(parent, 'team-widget');
    expect(cli('create', 'team-widget', '--backend', '--dir', parent).code).toBe(0);
    const unbuilt = cli('validate', dir);
    expect(unbuilt.code).toBe(1);
    expect(unbuilt.out).toContain('frontend/mf-manifest.json is missing');
    expect(cli('build', dir).code).toBe(0);
    expect(cli('validate', dir)).toMatchObject({ code: 0, out: expect.stringContaining('team-widget@0.1.0 is valid') });

    const keys = path.join(parent, 'keys');
    expect(cli('keygen', '--out', keys, '--owner', 'Team').code).toBe(0);
    const publicFile = readFileSync(path.join(keys, readdir(keys, '.public.json')), 'utf8');
    const publicKey = JSON.parse(publicFile) as TrustedKey;
    expect(cli('sign', dir, '--key', path.join(keys, readdir(keys, '.private.pem'))).code).toBe(0);

    const manifest = JSON.parse(readFileSync(path.join(dir, 'manifest.json'), 'utf8'));
    expect(manifest.signature).toMatchObject({ algorithm: 'ed25519', keyId: publicKey.keyId });

    const out = path.join(parent, 'out');
    expect(cli('pack', dir, '--out', out).code).toBe(0);
    const zip = readFileSync(path.join(out, 'team-widget-0.1.0.zip'));
    const checksum = readFileSync(path.join(out, 'team-widget-0.1.0.zip.sha256'), 'utf8');
    expect(checksum).toBe(`${createHash('sha256').update(zip).digest('hex')}  team-widget-0.1.0.zip\n`);
    const names = readZipEntries(zip, { maxEntries: 100, maxTotalBytes: 10_000_000 }).map((e) => e.name);
    expect(names).toContain('manifest.json');
    expect(names).toContain('backend/index.ts');
    expect(names).toContain('frontend/mf-manifest.json');
    expect(names.some((n) => n.startsWith('src/') || n.includes('.test.'))).toBe(false);
  }, 60_000);

  test('a frontend hosted elsewhere (an absolute remote) is left out of the package and of what the signature covers', async () => {
    const parent = mkdtempSync(path.join(os.tmpdir(), 'wb-cli-'));
    const dir = path.join(parent, 'cdn-widget');
    expect(cli('create', 'cdn-widget', '--dir', parent).code).toBe(0);
    expect(cli('build', dir).code).toBe(0);
    const manifestFile = path.join(dir, 'manifest.json');
    const manifest = JSON.parse(readFileSync(manifestFile, 'utf8'));
    const remote = 'https://cdn.example.com/cdn-widget/0.1.0/mf-manifest.json';
    writeFileSync(manifestFile, JSON.stringify({ ...manifest, frontend: { ...manifest.frontend, remote } }));
    cli('keygen', '--out', parent);
    expect(cli('sign', dir, '--key', path.join(parent, readdir(parent, '.private.pem'))).code).toBe(0);

    const packed = cli('pack', dir, '--out', path.join(parent, 'out'));
    expect(packed).toMatchObject({
      code: 0,
      out: expect.stringContaining(`frontend/ left out: the remote is hosted at ${remote}`),
    });
    const zip = readFileSync(path.join(parent, 'out', 'cdn-widget-0.1.0.zip'));
    const names = readZipEntries(zip, { maxEntries: 100, maxTotalBytes: 10_000_000 }).map((e) => e.name);
    expect(names).toContain('manifest.json');
    expect(names.filter((n) => n.startsWith('frontend'))).toEqual([]);
    // What the server sees after installing the zip (no frontend/) verifies like the folder that was signed.
    const key = JSON.parse(readFileSync(path.join(parent, readdir(parent, '.public.json')), 'utf8')) as TrustedKey;
    const installed = path.join(parent, 'installed');
    mkdirSync(installed);
    cpSync(manifestFile, path.join(installed, 'manifest.json'));
    const { signature } = JSON.parse(readFileSync(manifestFile, 'utf8'));
    const trusted = new Map([[key.keyId, key]]);
    expect(await packageDigest(installed)).toBe(await packageDigest(dir));
    expect(checkSignature(signature, await packageDigest(installed), trusted).status).toBe('verified');
  }, 60_000);

  test('a signature made by sign verifies against the digest of the folder', async () => {
    const parent = mkdtempSync(path.join(os.tmpdir(), 'wb-cli-'));
    const dir = path.join(parent, 'sig-check');
    cli('create', 'sig-check', '--dir', parent);
    cli('keygen', '--out', parent);
    cli('sign', dir, '--key', path.join(parent, readdir(parent, '.private.pem')));
    const key = JSON.parse(readFileSync(path.join(parent, readdir(parent, '.public.json')), 'utf8')) as TrustedKey;
    const { signature } = JSON.parse(readFileSync(path.join(dir, 'manifest.json'), 'utf8'));
    const trusted = new Map([[key.keyId, key]]);
    expect(checkSignature(signature, await packageDigest(dir), trusted).status).toBe('verified');
    writeFileSync(path.join(dir, 'src', 'greeting.ts'), 'export const changed = true;\n');
    expect(checkSignature(signature, await packageDigest(dir), trusted).status).toBe('verified');
  });

  test('mistakes exit 1 with one line saying what is wrong and how to fix it', () => {
    const bad = cli('create', 'Team_Widget');
    expect(bad.code).toBe(1);
    expect(bad.err.trim().split('\n')).toHaveLength(1);
    expect(bad.err).toContain('lowercase letters, digits and single dashes');
    expect(cli('sign', '.').err).toContain('--key <private key .pem> is required');
    expect(cli('validate', os.tmpdir()).err).toContain('has no manifest.json');
    expect(cli('dev', '.').err).toContain('--plugins-dir <folder> is required');
    expect(cli('pack', '--nope').err).toContain("Unknown option '--nope'");
    expect(cli('nope').err).toContain('unknown command "nope"');
    expect(cli('deploy', '--token', 'wbt_x').err).toContain('--server <url> is required');
    expect(cli('deploy', '--server', 'http://127.0.0.1:9').err).toContain(
      '--token <token> (or WORKBENCH_TOKEN) is required',
    );
  }, 60_000);

  test('every command has --help', () => {
    for (const command of ['create', 'build', 'validate', 'dev', 'pack', 'deploy', 'keygen', 'sign']) {
      const help = cli(command, '--help');
      expect(help.code).toBe(0);
      expect(help.out).toMatch(new RegExp(`^Usage: workbench-plugin ${command}`));
    }
  }, 60_000);

  test('validate lists every schema problem with its field and rule', () => {
    const parent = mkdtempSync(path.join(os.tmpdir(), 'wb-cli-'));
    const dir = path.join(parent, 'broken');
    cli('create', 'broken', '--dir', parent);
    const manifest = JSON.parse(readFileSync(path.join(dir, 'manifest.json'), 'utf8'));
    writeFileSync(
      path.join(dir, 'manifest.json'),
      JSON.stringify({ ...manifest, version: 'one', capabilities: ['fly'] }),
    );
    const result = cli('validate', dir);
    expect(result.code).toBe(1);
    expect(result.out).toContain('version: must be a semantic version');
    expect(result.out).toContain('capabilities[0]');
    expect(existsSync(path.join(dir, 'frontend'))).toBe(false);
  });
});

function readdir(dir: string, suffix: string): string {
  const found = (spawnSync('ls', [dir], { encoding: 'utf8' }).stdout ?? '').split('\n').find((f) => f.endsWith(suffix));
  if (!found) throw new Error(`no *${suffix} in ${dir}`);
  return found;
}
