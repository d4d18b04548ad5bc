import { mkdirSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, test } from 'vitest';
import { testManifest } from '../../../shared/testing/manifests.ts';
import { createSnapshots } from '../snapshots.ts';
import { generateSigningKey, type TrustedKey } from '@dbt-workbench/plugin-sdk/node/keys';
import { signPluginDirectory } from '@dbt-workbench/plugin-sdk/node/sign';
import { copyProblem } from '@dbt-workbench/plugin-sdk/node/verify';

const team = generateSigningKey('Data team');
const trusted = new Map<string, TrustedKey>([[team.publicKey.keyId, team.publicKey]]);

function plugin(): string {
  const dir = path.join(mkdtempSync(path.join(os.tmpdir(), 'wb-snap-')), 'signed-one');
  mkdirSync(path.join(dir, 'backend'), { recursive: true });
  mkdirSync(path.join(dir, 'frontend'), { recursive: true });
  writeFileSync(path.join(dir, 'manifest.json'), JSON.stringify(testManifest('signed-one')));
  writeFileSync(path.join(dir, 'backend', 'index.js'), 'export function activate() {}\n');
  writeFileSync(path.join(dir, 'frontend', 'chunk.js'), 'console.log("signed");\n');
  writeFileSync(path.join(dir, 'frontend', 'chunk.test.js'), 'not shipped\n');
  return dir;
}

test('a snapshot is a copy: a file rewritten in place in the plugin folder does not change what is served', async () => {
  const dir = plugin();
  const snapshots = createSnapshots(mkdtempSync(path.join(os.tmpdir(), 'wb-snaps-')));
  const served = await snapshots.ensure('signed-one', '1.0.0-abc', dir);
  writeFileSync(path.join(dir, 'frontend', 'chunk.js'), 'steal(document.cookie);\n');
  expect(readFileSync(path.join(served, 'frontend', 'chunk.js'), 'utf8')).toBe('console.log("signed");\n');
  expect(statSync(path.join(served, 'frontend', 'chunk.js')).ino).not.toBe(
    statSync(path.join(dir, 'frontend', 'chunk.js')).ino,
  );
  expect(() => statSync(path.join(served, 'frontend', 'chunk.test.js'))).toThrow();
});

test('the copy of a signed package is verified against its signature: a file changed on the way is refused', async () => {
  const dir = plugin();
  const { signature } = await signPluginDirectory(dir, team.privateKey);
  const snapshots = createSnapshots(mkdtempSync(path.join(os.tmpdir(), 'wb-snaps-')));
  const copy = await snapshots.ensure('signed-one', '1.0.0-abc', dir, true);
  expect(await copyProblem(signature, copy, trusted)).toBeUndefined();

  writeFileSync(path.join(copy, 'backend', 'index.js'), 'export function activate() { steal(); }\n');
  expect(await copyProblem(signature, copy, trusted)).toMatch(
    /^its files changed while the server verified them \(the package's files changed after it was signed/,
  );
});
