// Plugins installed as a plugin team ships them: packed with the CLI (`workbench-plugin pack`), uploaded as a zip
// to POST /api/plugins/install, approved by the admin when they ask for anything.
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import type { APIRequestContext } from '@playwright/test';
import { expect } from './fixtures.ts';

const root = path.resolve(import.meta.dirname, '..');
const zips = path.join(root, '.test-results', 'e2e-packages');
const run = promisify(execFile);

/** Packs a built plugin folder into `<name>-<version>.zip` with the CLI. */
async function pack(dir: string): Promise<{ name: string; version: string; zip: string }> {
  const { name, version } = JSON.parse(readFileSync(path.join(dir, 'manifest.json'), 'utf8')) as {
    name: string;
    version: string;
  };
  await run(process.execPath, [path.join(root, 'packages/cli/dist/bin.js'), 'pack', dir, '--out', zips], { cwd: root });
  return { name, version, zip: path.join(zips, `${name}-${version}.zip`) };
}

/**
 * Installs each plugin folder (already built) through the public path, unless the server has it already, and
 * approves what it asks for when `approve(name)` says so. Packs two at a time (the machine has 2 cores).
 */
export async function installPackages(
  request: APIRequestContext,
  dirs: string[],
  approve: (name: string) => boolean = () => true,
): Promise<void> {
  const queue = [...dirs];
  const worker = async () => {
    for (let dir = queue.shift(); dir; dir = queue.shift()) {
      const { name, version, zip } = await pack(dir);
      if ((await request.get(`/api/plugins/${name}`)).status() === 404) {
        const installed = await request.post('/api/plugins/install', {
          headers: { 'content-type': 'application/zip' },
          data: readFileSync(zip),
        });
        expect(installed.status(), await installed.text()).toBe(201);
      }
      const plugin = (await (await request.get(`/api/plugins/${name}`)).json()) as { state: string };
      if (plugin.state === 'pending-approval' && approve(name)) {
        const approved = await request.post(`/api/plugins/${name}/approve`, { data: { version } });
        expect(approved.status(), await approved.text()).toBe(200);
      }
    }
  };
  await Promise.all([worker(), worker()]);
}

export type UiTrust = 'isolated' | 'in-page';

/** Sets how the plugin's UI runs, as an instance admin does. */
export async function setUiTrust(request: APIRequestContext, name: string, level: UiTrust): Promise<void> {
  const response = await request.put(`/api/plugins/${name}/ui-trust`, { data: { level } });
  expect(response.status(), await response.text()).toBe(200);
}
