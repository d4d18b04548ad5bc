import { mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { PluginManifest } from '@dbt-workbench/plugin-sdk/contracts/plugin-manifest.schema';
import { protectedPathsOf, refusedGrants, type ProtectedPaths } from './grant-rules.ts';

// The rules judged on a real folder layout (symlinks need one): <root>/data, <root>/plugins/{mine,other},
// <root>/workspaces/shop/target, <root>/app, <root>/home and <root>/exports, a folder a grant may reach.

let root: string;
let rules: ProtectedPaths;
const mine = () => path.join(root, 'plugins', 'mine');
const manifest = (fs: NonNullable<PluginManifest['permissions']>['fs']) =>
  ({ name: 'mine', permissions: { fs } }) as PluginManifest;
const judge = (fs: NonNullable<PluginManifest['permissions']>['fs'], directory = mine()) =>
  refusedGrants(manifest(fs), directory, rules);

beforeAll(() => {
  root = mkdtempSync(path.join(os.tmpdir(), 'wb-grants-'));
  for (const dir of [
    'data',
    'plugins/mine/assets',
    'plugins/other',
    'workspaces/shop/target',
    'app',
    'home',
    'exports',
  ])
    mkdirSync(path.join(root, dir), { recursive: true });
  symlinkSync(path.join(root, 'data'), path.join(root, 'plugins', 'mine', 'innocent'));
  symlinkSync(path.join(root, 'exports'), path.join(root, 'plugins', 'mine', 'reports'));
  rules = protectedPathsOf({
    dataDirectory: path.join(root, 'data'),
    pluginsDirectory: path.join(root, 'plugins'),
    workspaces: [{ name: 'shop', targetDir: path.join(root, 'workspaces', 'shop', 'target') }],
    appRoot: path.join(root, 'app'),
    home: path.join(root, 'home'),
  });
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('grants no plugin is given', () => {
  test('"/" contains the data folder, and says so', () => {
    expect(judge(['/'])).toEqual([
      expect.stringMatching(/^permissions.fs "\/" is refused: it contains .*\/data, the app's data folder/),
    ]);
  });

  test('the data folder, its database file, and a relative way there', () => {
    const data = path.join(root, 'data');
    expect(judge([data])[0]).toMatch(/is refused: it is .*\/data, the app's data folder \(WORKBENCH_DATA_DIR/);
    expect(judge([path.join(data, 'workbench.db')])[0]).toMatch(/is refused: it is inside .*\/data, the app's data/);
    expect(judge(['../../data'])[0]).toMatch(/"\.\.\/\.\.\/data" \(.*\/data\) is refused: it is .*data folder/);
  });

  test("another plugin's folder, the plugins folder, the app's code and workspace artifacts", () => {
    expect(judge(['../other'])[0]).toMatch(/is refused: it is inside another plugin's folder \("other"\)/);
    expect(judge([path.join(root, 'plugins')])[0]).toMatch(/it is .*\/plugins, the plugins folder/);
    expect(judge([path.join(root, 'app', 'node_modules')])[0]).toMatch(/inside .*\/app, the app's code/);
    expect(judge([path.join(root, 'workspaces', 'shop')])[0]).toMatch(
      /contains .*\/shop\/target, the artifacts of workspace "shop" \(a plugin reads those with read-metadata/,
    );
  });

  test('the machine: /proc, /sys, /dev, password hashes, SSH keys, credentials in the home folder', () => {
    expect(judge(['/proc/1'])[0]).toMatch(/inside \/proc, process information/);
    expect(judge(['/sys'])[0]).toMatch(/it is \/sys/);
    expect(judge(['/dev/shm'])[0]).toMatch(/inside \/dev/);
    expect(judge(['/etc'])[0]).toMatch(/contains \/etc\/shadow, the system users' password hashes/);
    expect(judge(['/etc/ssh/ssh_host_ed25519_key'])[0]).toMatch(/SSH host keys/);
    expect(judge([path.join(root, 'home')])[0]).toMatch(/contains .*\/home\/\.ssh, credentials of the server's user/);
  });

  test('a symlink is judged by where it leads', () => {
    expect(judge(['innocent'])[0]).toMatch(/"innocent" \(.*\/data\) is refused: it is .*\/data, the app's data/);
    expect(judge(['reports'])).toEqual([]);
  });

  test('its own files may be read, not written; an ordinary folder may be read and written', () => {
    expect(judge(['assets', '.'])).toEqual([]);
    expect(judge([{ path: 'assets', access: 'write' }])[0]).toMatch(
      /"assets" .*is refused: it is the plugin's own folder, and a plugin may not rewrite its code/,
    );
    expect(judge(['/usr/share', { path: path.join(root, 'exports'), access: 'write' }])).toEqual([]);
  });

  test('a staged package is judged where it will be installed: relative paths from its plugins folder', () => {
    const staged = path.join(root, 'data', 'plugin-packages', 'staging', 'op', 'package');
    mkdirSync(path.join(staged, 'assets'), { recursive: true });
    expect(judge(['assets'], staged)).toEqual([]);
    expect(judge(['../other'], staged)[0]).toMatch(/another plugin's folder \("other"\)/);
  });
});
