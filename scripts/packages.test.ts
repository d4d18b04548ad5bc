// The workspace packages as a plugin team gets them: `npm pack` tarballs that pass publint and
// @arethetypeswrong/cli, installed with plain npm in a folder outside this repository, and the CLI run there
// on the system's Node (/usr/bin/node, Node 20: the oldest the packages promise in `engines`).
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';

const root = path.resolve(import.meta.dirname, '..');
const bin = path.join(root, 'node_modules/.bin');
const systemNode = process.env.SYSTEM_NODE ?? '/usr/bin/node';
const packages = ['plugin-sdk', 'cli'] as const;
const out = mkdtempSync(path.join(os.tmpdir(), 'wb-packages-'));
const tarballs: Record<string, string> = {};

const run = (command: string, args: string[], cwd: string) =>
  execFileSync(command, args, {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, PATH: `${bin}${path.delimiter}${process.env.PATH}` },
    stdio: ['ignore', 'pipe', 'pipe'],
  });

beforeAll(() => {
  for (const name of packages) {
    const [pack] = JSON.parse(
      // Packs the dist/ that `npm run build` compiled: rebuilding it here (prepack) would rewrite files that
      // tests running alongside are importing.
      run('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', out], path.join(root, 'packages', name)),
    ) as { filename: string; files: { path: string }[] }[];
    tarballs[name] = path.join(out, pack!.filename);
    expect(pack!.files.some((f) => /\.test\.[jt]s$/.test(f.path))).toBe(false);
  }
}, 120_000);

describe.each(packages)('the %s tarball', (name) => {
  test('passes publint (strict)', () => {
    expect(run(path.join(bin, 'publint'), ['run', '--strict', tarballs[name]!], out)).toMatch(/All good/);
  }, 60_000);

  test('passes @arethetypeswrong/cli for ESM consumers (node16 and bundlers)', () => {
    // Subpath patterns (contracts/*, node/*, build/*) are checked through one entry of each.
    const entrypoints =
      name === 'plugin-sdk'
        ? ['.', './testing', './contracts/plugin-manifest.schema', './node/candidate', './build/remote-preset']
        : ['.'];
    const report = run(
      path.join(bin, 'attw'),
      [tarballs[name]!, '--profile', 'esm-only', '--format', 'ascii', '--entrypoints', ...entrypoints],
      out,
    );
    // attw exits non-zero on a problem for these consumers; every entry must also resolve green for them.
    const lines = report.split('\n').filter((line) => /^(node16 \(from ESM\)|bundler):/.test(line));
    expect(lines).toHaveLength(entrypoints.length * 2);
    for (const line of lines) expect(line).toContain('🟢');
  }, 60_000);
});

test('installed from the tarballs outside the repository, the CLI runs on the system Node', () => {
  expect(run(systemNode, ['--version'], out)).toMatch(/^v20\./);
  const project = mkdtempSync(path.join(os.tmpdir(), 'wb-consumer-'));
  writeFileSync(
    path.join(project, 'package.json'),
    JSON.stringify({ name: 'consumer', private: true, type: 'module' }),
  );
  run(
    'npm',
    ['install', '--no-audit', '--no-fund', '--prefer-offline', tarballs['plugin-sdk']!, tarballs.cli!],
    project,
  );
  const cli = path.join(project, 'node_modules/@dbt-workbench/cli/dist/bin.js');
  expect(run(systemNode, [cli, 'create', 'team-radar'], project)).toContain('created');
  run(systemNode, [cli, 'build', 'team-radar'], project);
  expect(existsSync(path.join(project, 'team-radar/frontend/mf-manifest.json'))).toBe(true);
  expect(run(systemNode, [cli, 'validate', 'team-radar'], project)).toContain('team-radar@0.1.0 is valid');
  const manifest = JSON.parse(readFileSync(path.join(project, 'team-radar/manifest.json'), 'utf8')) as {
    compatibility: { workbench: string };
  };
  expect(manifest.compatibility.workbench).toBe('^0.1.0');
}, 300_000);

test('`create NAME` makes a standalone project that installs, type-checks, tests and builds with plain npm; a type error fails its build', () => {
  const parent = mkdtempSync(path.join(os.tmpdir(), 'wb-standalone-'));
  const kit = ['--sdk', tarballs['plugin-sdk']!, '--cli', tarballs.cli!];
  run(
    process.execPath,
    [path.join(root, 'packages/cli/dist/bin.js'), 'create', 'team-radar', '--backend', ...kit],
    parent,
  );
  const project = path.join(parent, 'team-radar');
  for (const file of ['package.json', 'tsconfig.json', 'README.md', '.github/workflows/ci.yml', 'src/Widget.test.ts']) {
    expect(existsSync(path.join(project, file)), file).toBe(true);
  }
  // The system's Node 20 and its npm: what a plugin team's machine or CI has.
  const npm = (...args: string[]) =>
    spawnSync('npm', args, {
      cwd: project,
      encoding: 'utf8',
      env: { ...process.env, PATH: `${path.dirname(systemNode)}${path.delimiter}${process.env.PATH}` },
    });
  const succeeds = (...args: string[]) => {
    const result = npm(...args);
    expect(result.status, `npm ${args.join(' ')}:\n${result.stdout}${result.stderr}`).toBe(0);
    return result.stdout;
  };
  succeeds('install', '--no-audit', '--no-fund', '--prefer-offline');
  succeeds('run', 'typecheck');
  expect(succeeds('test')).toMatch(/3 passed/);
  succeeds('run', 'build');
  expect(existsSync(path.join(project, 'frontend/mf-manifest.json'))).toBe(true);
  expect(succeeds('run', 'validate')).toContain('team-radar@0.1.0 is valid');

  const widget = path.join(project, 'src/Widget.tsx');
  writeFileSync(widget, readFileSync(widget, 'utf8').replace('sdk.workspace.title', 'sdk.workspace.titel'));
  const failed = npm('run', 'build');
  expect(failed.status).not.toBe(0);
  expect(failed.stdout + failed.stderr).toMatch(/Property 'titel' does not exist/);
}, 600_000);
