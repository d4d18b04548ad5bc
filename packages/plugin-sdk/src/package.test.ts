import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { expect, test } from 'vitest';

const sdkDir = path.resolve(import.meta.dirname, '..');
const bin = path.resolve(sdkDir, '../../node_modules/.bin');

test('npm pack makes a tarball with the compiled SDK, its types, the test helpers and the README', () => {
  const out = execFileSync('npm', ['pack', '--dry-run', '--json'], {
    cwd: sdkDir,
    encoding: 'utf8',
    env: { ...process.env, PATH: `${bin}${path.delimiter}${process.env.PATH}` },
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  const [pack] = JSON.parse(out) as { name: string; files: { path: string }[] }[];
  const files = pack!.files.map((f) => f.path);
  expect(pack!.name).toBe('@dbt-workbench/plugin-sdk');
  for (const file of [
    'README.md',
    'dist/index.js',
    'dist/index.d.ts',
    'dist/testing.d.ts',
    'dist/contracts/slots.d.ts',
  ]) {
    expect(files).toContain(file);
  }
  expect(files.some((f) => f.endsWith('.test.js') || f.endsWith('.test.d.ts'))).toBe(false);
}, 60_000);
