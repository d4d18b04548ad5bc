import { chmodSync, existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import type { AccessEntry } from '@dbt-workbench/plugin-sdk/contracts/access-request';
import type { ManifestDoc } from '../../../shared/testing/manifests.ts';
import { createSandboxFeature } from '../../sandbox/feature.ts';
import { callExt, eventually } from '../../sandbox/testing.ts';
import { startTestApp, type TestApp } from '../../testing/test-app.ts';
import { call, leftovers, pluginZip, postZip } from './testing.ts';

// Attacks from issue 12, tried through the public install path: what a version asks for beyond its capabilities
// (folders, environment variables, limits) must be seen and approved by an admin before it runs.

let app: TestApp | undefined;
afterEach(async () => {
  await app?.close();
  app = undefined;
});

/** A plugin whose backend answers its own version at /api/ext/<name>/version. */
function backendZip(name: string, version: string, extra: ManifestDoc = {}): Buffer {
  const backend = `export async function activate(host) {
  await host.routes.register('GET', '/version', () => ({ body: { version: ${JSON.stringify(version)} } }));
}
`;
  return pluginZip(name, { version, capabilities: ['extend-api'], backend: { entry: 'index.js' }, ...extra }, [
    { name: 'backend/' },
    { name: 'backend/index.js', data: backend },
  ]);
}

async function start(env: Record<string, string> = {}): Promise<TestApp> {
  app = await startTestApp({
    features: [createSandboxFeature()],
    env,
    // Backends run under their own user id: they must be able to enter the temp dir, as on a real install.
    prepare: (dir) => chmodSync(dir, 0o755),
  });
  return app;
}

const keysOf = (entries: AccessEntry[]) => entries.map((e) => e.key);
/** Switched on: `loading` while its backend starts, `active` once it answers (what runs is checked by calling it). */
const switchedOn = expect.stringMatching(/^(loading|active)$/);
const runningVersion = async (a: TestApp) => {
  const response = await callExt(a, '/api/ext/owners/version');
  return response.statusCode === 200 ? (response.json() as { version: string }).version : undefined;
};

describe('an update that asks for more than the running version had approved', () => {
  test('a folder, 8 GB and 10 minutes per call wait for approval while the old version keeps serving', async () => {
    const a = await start({ PLUGIN_MAX_MEMORY_MB: '8192', PLUGIN_MAX_TIMEOUT_MS: '600000' });
    expect((await postZip(a, '/api/plugins/install', backendZip('owners', '1.0.0'))).statusCode).toBe(201);
    expect((await call(a, 'POST', '/api/plugins/owners/approve', { version: '1.0.0' })).json().state).toEqual(
      switchedOn,
    );
    expect(await eventually('1.0.0 to serve', () => runningVersion(a))).toBe('1.0.0');

    // Issue 12 tried /etc, which is now refused whatever is approved (grant-rules); an allowed folder must wait.
    const escalation = backendZip('owners', '1.0.1', {
      permissions: { fs: ['/usr/share'] },
      backend: { entry: 'index.js', limits: { memoryMb: 8192, timeoutMs: 600_000 } },
    });
    const preview = await postZip(a, '/api/plugins/owners/update?dryRun=true', escalation);
    expect(preview.statusCode, preview.body).toBe(200);
    const staged = await postZip(a, '/api/plugins/owners/update', escalation);
    expect(staged.statusCode, staged.body).toBe(200);
    const { status, diff } = staged.json();
    expect(status).toBe('pending-approval');
    expect(preview.json().diff.access).toEqual(diff.access);
    const asked = ['fs.read:/usr/share', 'limit.timeoutMs:600000', 'limit.memoryMb:8192'];
    expect(keysOf(diff.access.added).sort()).toEqual([...asked].sort());
    expect(keysOf(diff.access.needsApproval).sort()).toEqual([...asked].sort());
    expect(diff.access.added.map((e: AccessEntry) => e.description)).toEqual(
      expect.arrayContaining([
        'Read files in the folder /usr/share',
        'Use up to 8,192 MB of memory (the default is 128 MB)',
        'Take up to 600 s per call (the default is 5 s)',
      ]),
    );
    // Its capability was approved for 1.0.0 and carries over; only what is new waits.
    expect(diff.access.request.find((e: AccessEntry) => e.key === 'extend-api')).toMatchObject({ approved: true });
    expect(diff.needsApproval).toEqual([]);

    expect((await call(a, 'GET', '/api/plugins/owners')).json()).toMatchObject({ version: '1.0.0', state: 'active' });
    expect(await runningVersion(a)).toBe('1.0.0');
    const pending = (await call(a, 'GET', '/api/marketplace/installations')).json().installations[0].pending;
    expect(keysOf(pending.diff.access.needsApproval).sort()).toEqual([...asked].sort());
    const stage = (await call(a, 'GET', '/api/audit')).json().entries[0];
    expect(stage).toMatchObject({ action: 'plugin.update.stage', details: { needsApproval: asked } });

    const approved = await call(a, 'POST', '/api/plugins/owners/update/approve', { version: '1.0.1' });
    expect(approved.statusCode, approved.body).toBe(200);
    expect(approved.json().plugin).toMatchObject({ version: '1.0.1', state: switchedOn });
    expect(approved.json().plugin.access.every((e: AccessEntry) => e.approved)).toBe(true);
    const audit = (await call(a, 'GET', '/api/audit')).json().entries[0];
    expect(audit).toMatchObject({ action: 'plugin.update.approve' });
    expect(audit.details.access).toEqual(expect.arrayContaining(['extend-api', ...asked]));
    expect(
      await eventually('1.0.1 to serve', async () => ((await runningVersion(a)) === '1.0.1' ? '1.0.1' : undefined)),
    );
  }, 60_000);

  test('an update asking for less than what was approved swaps in at once', async () => {
    const a = await start();
    const roomy = { backend: { entry: 'index.js', limits: { memoryMb: 512 } }, permissions: { env: ['TOKEN'] } };
    await postZip(a, '/api/plugins/install', backendZip('owners', '1.0.0', roomy));
    await call(a, 'POST', '/api/plugins/owners/approve', { version: '1.0.0' });
    const smaller = backendZip('owners', '1.1.0', { backend: { entry: 'index.js', limits: { memoryMb: 256 } } });
    const updated = await postZip(a, '/api/plugins/owners/update', smaller);
    expect(updated.json()).toMatchObject({ status: 'activated', plugin: { version: '1.1.0', state: switchedOn } });
    expect(keysOf(updated.json().diff.access.removed)).toEqual(['env:TOKEN', 'limit.memoryMb:512']);
    expect(keysOf(updated.json().diff.access.added)).toEqual(['limit.memoryMb:256']);
    expect(updated.json().diff.access.needsApproval).toEqual([]);
  }, 60_000);
});

describe('a version that declares no capability', () => {
  test('but a folder grant is not active until an admin approves the grant', async () => {
    const a = await start();
    const zip = pluginZip('owners', { permissions: { fs: [{ path: '/srv/shared', access: 'write' }] } });
    const installed = await postZip(a, '/api/plugins/install', zip);
    expect(installed.statusCode, installed.body).toBe(201);
    expect(installed.json().plugin).toMatchObject({
      state: 'pending-approval',
      reason: 'waiting for an admin to approve: Read and write files in the folder /srv/shared',
      access: [{ key: 'fs.write:/srv/shared', approved: false }],
    });
    const approved = await call(a, 'POST', '/api/plugins/owners/approve', { version: '1.0.0' });
    expect(approved.json()).toMatchObject({
      state: 'active',
      access: [{ key: 'fs.write:/srv/shared', approved: true }],
    });
    const audit = (await call(a, 'GET', '/api/audit')).json().entries[0];
    expect(audit).toMatchObject({ action: 'plugin.approve', details: { access: ['fs.write:/srv/shared'] } });
  });
});

describe('access-environment-config', () => {
  test('the admin sees which variables before approving, on the plugin and in the list', async () => {
    const a = await start({ PLUGIN_AUTO_APPROVE: 'access-environment-config' });
    const zip = pluginZip('owners', {
      capabilities: ['access-environment-config'],
      permissions: { env: ['WORKBENCH_ADMIN_PASSWORD', 'WAREHOUSE_TOKEN'] },
    });
    await postZip(a, '/api/plugins/install', zip);
    // The policy approves the capability by itself, never the variables.
    const detail = (await call(a, 'GET', '/api/plugins/owners')).json();
    expect(detail.state).toBe('pending-approval');
    expect(detail.access.map((e: AccessEntry) => [e.description, e.approved])).toEqual([
      ['Read the environment variables granted to it', true],
      ["Read the server's environment variable WORKBENCH_ADMIN_PASSWORD", false],
      ["Read the server's environment variable WAREHOUSE_TOKEN", false],
    ]);
    expect(detail.reason).toContain('WORKBENCH_ADMIN_PASSWORD');
    const listed = (await call(a, 'GET', '/api/plugins')).json().plugins[0];
    expect(keysOf(listed.access)).toEqual([
      'access-environment-config',
      'env:WORKBENCH_ADMIN_PASSWORD',
      'env:WAREHOUSE_TOKEN',
    ]);
  });
});

describe('limit ceilings', () => {
  test('a limit above the ceiling is refused at install and update, naming it, writing nothing', async () => {
    const a = await start({ PLUGIN_MAX_MEMORY_MB: '512' });
    const greedy = (version: string) =>
      backendZip('owners', version, { backend: { entry: 'index.js', limits: { memoryMb: 4096 } } });
    const message =
      "backend.limits.memoryMb asks for 4,096 MB, above this server's ceiling of 512 MB (PLUGIN_MAX_MEMORY_MB)";

    const install = await postZip(a, '/api/plugins/install', greedy('1.0.0'));
    expect(install.statusCode).toBe(400);
    expect(install.json().error.message).toContain(message);
    expect(leftovers(a)).toEqual({ staging: [], trash: [], pending: [], plugins: [] });

    expect((await postZip(a, '/api/plugins/install', backendZip('owners', '1.0.0'))).statusCode).toBe(201);
    await call(a, 'POST', '/api/plugins/owners/approve', { version: '1.0.0' });
    const update = await postZip(a, '/api/plugins/owners/update', greedy('2.0.0'));
    expect(update.statusCode).toBe(400);
    expect(update.json().error.message).toContain(message);
    expect(leftovers(a)).toEqual({ staging: [], trash: [], pending: [], plugins: ['owners'] });
    const manifest = JSON.parse(readFileSync(path.join(a.dir, 'plugins', 'owners', 'manifest.json'), 'utf8'));
    expect(manifest.version).toBe('1.0.0');
    expect((await call(a, 'GET', '/api/plugins/owners')).json().state).toEqual(switchedOn);
  }, 60_000);
});

describe('install preview', () => {
  test('a zip upload answers what the version asks for and why it would be refused, writing nothing', async () => {
    const a = await start({ PLUGIN_MAX_TIMEOUT_MS: '10000' });
    const zip = backendZip('owners', '1.0.0', {
      permissions: { network: ['api.example.com:443'] },
      backend: { entry: 'index.js', limits: { timeoutMs: 20_000 } },
    });
    const preview = await postZip(a, '/api/plugins/install?dryRun=true', zip);
    expect(preview.statusCode, preview.body).toBe(200);
    expect(preview.json()).toMatchObject({
      status: 'preview',
      name: 'owners',
      version: '1.0.0',
      installable: false,
      problems: ["backend.limits.timeoutMs asks for 20 s, above this server's ceiling of 10 s (PLUGIN_MAX_TIMEOUT_MS)"],
    });
    expect(preview.json().access.map((e: AccessEntry) => e.description)).toEqual([
      'Serve its own HTTP routes under /api/ext/<plugin>/',
      'Open network connections to api.example.com:443',
      'Take up to 20 s per call (the default is 5 s)',
    ]);
    expect(leftovers(a)).toEqual({ staging: [], trash: [], pending: [], plugins: [] });
    expect((await call(a, 'GET', '/api/plugins')).json().plugins).toEqual([]);

    await postZip(a, '/api/plugins/install', backendZip('owners', '1.0.0'));
    const again = (await postZip(a, '/api/plugins/install?dryRun=true', backendZip('owners', '1.0.0'))).json();
    expect(again).toMatchObject({ installable: false, problems: [expect.stringContaining('is already installed')] });
    expect(existsSync(path.join(a.dir, 'plugins', 'owners'))).toBe(true);
  }, 60_000);
});
