import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { startTestApp, type TestApp } from '../../testing/test-app.ts';
import { packageLayout } from './layout.ts';
import { call, leftovers, pluginZip, postZip } from './testing.ts';

let app: TestApp | undefined;
afterEach(async () => {
  await app?.close();
  app = undefined;
});

/** An app with `owners` 1.0.0 installed (read-metadata approved), active. */
async function withOwners(): Promise<TestApp> {
  app = await startTestApp({ features: [] });
  const installed = await postZip(
    app,
    '/api/plugins/install',
    pluginZip('owners', { capabilities: ['read-metadata'] }),
  );
  expect(installed.statusCode, installed.body).toBe(201);
  const approved = await call(app, 'POST', '/api/plugins/owners/approve', { version: '1.0.0' });
  expect(approved.json().state).toBe('active');
  return app;
}

const version2 = (capabilities: string[], extra: Record<string, unknown> = {}) =>
  pluginZip('owners', { version: '2.0.0', capabilities, ...extra });

const extendApi = (approved: boolean) => ({
  key: 'extend-api',
  item: { kind: 'capability', capability: 'extend-api' },
  description: 'Serve its own HTTP routes under /api/ext/<plugin>/',
  approved,
});
const readMetadata = {
  key: 'read-metadata',
  item: { kind: 'capability', capability: 'read-metadata' },
  description: 'Read models, sources, columns and run results of the workspace',
};

const installedVersion = (a: TestApp) =>
  JSON.parse(readFileSync(path.join(a.dir, 'plugins', 'owners', 'manifest.json'), 'utf8')).version as string;

describe('update preview', () => {
  test('dryRun answers versions, compatibility and the capability diff, and changes nothing', async () => {
    const a = await withOwners();
    const response = await postZip(a, '/api/plugins/owners/update?dryRun=true', version2(['extend-api']));
    expect(response.statusCode, response.body).toBe(200);
    expect(response.json()).toEqual({
      status: 'preview',
      diff: {
        name: 'owners',
        from: { version: '1.0.0', capabilities: ['read-metadata'] },
        to: { version: '2.0.0', capabilities: ['extend-api'] },
        added: ['extend-api'],
        removed: ['read-metadata'],
        needsApproval: ['extend-api'],
        access: {
          request: [extendApi(false)],
          added: [extendApi(false)],
          removed: [{ ...readMetadata, approved: true }],
          needsApproval: [extendApi(false)],
        },
        contributions: { added: [], removed: [] },
        change: 'upgrade',
        compatible: true,
        problems: [],
        warnings: [],
      },
    });
    expect(installedVersion(a)).toBe('1.0.0');
    expect(leftovers(a)).toEqual({ staging: [], trash: [], pending: [], plugins: ['owners'] });
  });

  test('a preview shows an incompatible version without refusing it', async () => {
    const a = await withOwners();
    const zip = version2(['read-metadata'], { compatibility: { workbench: '>=5', pluginApi: 1 } });
    const diff = (await postZip(a, '/api/plugins/owners/update?dryRun=true', zip)).json().diff;
    expect(diff).toMatchObject({ compatible: false, problems: ['needs dbt-Workbench >=5, but this is 0.1.0'] });
  });
});

describe('update without new capabilities', () => {
  test('swaps in at once, keeps the approval, keeps the previous version and records it', async () => {
    const a = await withOwners();
    const response = await postZip(a, '/api/plugins/owners/update', version2(['read-metadata']));
    expect(response.statusCode, response.body).toBe(200);
    expect(response.json()).toMatchObject({
      status: 'activated',
      plugin: { version: '2.0.0', state: 'active', approvedCapabilities: ['read-metadata'] },
      installation: { version: '2.0.0', previousVersion: '1.0.0', previousKept: true, source: 'upload' },
    });
    expect(installedVersion(a)).toBe('2.0.0');
    const layout = packageLayout(a.context.settings.dataDirectory, a.context.settings.pluginsDirectory);
    expect(JSON.parse(readFileSync(path.join(layout.previousFor('owners'), 'manifest.json'), 'utf8')).version).toBe(
      '1.0.0',
    );
    expect(leftovers(a)).toEqual({ staging: [], trash: [], pending: [], plugins: ['owners'] });
    const audit = (await call(a, 'GET', '/api/audit')).json().entries[0];
    expect(audit).toMatchObject({ action: 'plugin.update', target: 'owners', details: { from: '1.0.0', to: '2.0.0' } });

    // A second update keeps only the version it replaced.
    await postZip(a, '/api/plugins/owners/update', pluginZip('owners', { version: '3.0.0' }));
    expect(JSON.parse(readFileSync(path.join(layout.previousFor('owners'), 'manifest.json'), 'utf8')).version).toBe(
      '2.0.0',
    );
    expect(leftovers(a).trash).toEqual([]);
  });
});

describe('update with a new capability', () => {
  test('waits for approval while the old version stays active; approving swaps it in', async () => {
    const a = await withOwners();
    const staged = await postZip(a, '/api/plugins/owners/update', version2(['read-metadata', 'extend-api']));
    expect(staged.statusCode, staged.body).toBe(200);
    expect(staged.json()).toMatchObject({
      status: 'pending-approval',
      diff: { added: ['extend-api'], needsApproval: ['extend-api'] },
      plugin: { version: '1.0.0', state: 'active' },
      installation: {
        version: '1.0.0',
        pending: { version: '2.0.0', capabilities: ['read-metadata', 'extend-api'], diff: { added: ['extend-api'] } },
      },
    });
    expect(installedVersion(a)).toBe('1.0.0');
    expect((await call(a, 'GET', '/api/plugins/owners')).json()).toMatchObject({ version: '1.0.0', state: 'active' });
    expect(leftovers(a)).toMatchObject({ staging: [], pending: ['owners'] });

    const stale = await call(a, 'POST', '/api/plugins/owners/update/approve', { version: '1.5.0' });
    expect(stale.statusCode).toBe(409);
    expect(stale.json().error.message).toContain('2.0.0 is pending now');

    const approved = await call(a, 'POST', '/api/plugins/owners/update/approve', { version: '2.0.0' });
    expect(approved.statusCode, approved.body).toBe(200);
    expect(approved.json()).toMatchObject({
      status: 'activated',
      plugin: { version: '2.0.0', state: 'active', approvedCapabilities: ['read-metadata', 'extend-api'] },
      installation: { version: '2.0.0', previousVersion: '1.0.0' },
    });
    expect(approved.json().installation.pending).toBeUndefined();
    expect(installedVersion(a)).toBe('2.0.0');
    expect(leftovers(a)).toEqual({ staging: [], trash: [], pending: [], plugins: ['owners'] });
    const actions = (await call(a, 'GET', '/api/audit')).json().entries.map((e: { action: string }) => e.action);
    expect(actions.slice(0, 2)).toEqual(['plugin.update.approve', 'plugin.update.stage']);
  });

  test('a newer pending update replaces the older one; discarding drops it', async () => {
    const a = await withOwners();
    await postZip(a, '/api/plugins/owners/update', version2(['extend-api']));
    await postZip(
      a,
      '/api/plugins/owners/update',
      pluginZip('owners', { version: '2.1.0', capabilities: ['extend-api'] }),
    );
    const list = (await call(a, 'GET', '/api/marketplace/installations')).json().installations;
    expect(list.find((i: { name: string }) => i.name === 'owners').pending.version).toBe('2.1.0');
    expect(leftovers(a)).toMatchObject({ pending: ['owners'], trash: [] });

    const discarded = await call(a, 'DELETE', '/api/plugins/owners/update');
    expect(discarded.statusCode, discarded.body).toBe(200);
    expect(discarded.json().pending).toBeUndefined();
    expect(leftovers(a)).toEqual({ staging: [], trash: [], pending: [], plugins: ['owners'] });
    expect((await call(a, 'POST', '/api/plugins/owners/update/approve', { version: '2.1.0' })).statusCode).toBe(404);
    expect(installedVersion(a)).toBe('1.0.0');
  });

  test('a direct update that needs no approval supersedes a pending one', async () => {
    const a = await withOwners();
    await postZip(a, '/api/plugins/owners/update', version2(['extend-api']));
    const direct = await postZip(a, '/api/plugins/owners/update', pluginZip('owners', { version: '1.1.0' }));
    expect(direct.json()).toMatchObject({ status: 'activated', installation: { version: '1.1.0' } });
    expect(direct.json().installation.pending).toBeUndefined();
    expect(leftovers(a)).toEqual({ staging: [], trash: [], pending: [], plugins: ['owners'] });
  });
});

describe('updates that are refused change nothing', () => {
  test('a package of another plugin, the installed version, an incompatible version, an unknown plugin', async () => {
    const a = await withOwners();
    const other = await postZip(a, '/api/plugins/owners/update', pluginZip('notes', { version: '2.0.0' }));
    expect(other.statusCode).toBe(400);
    expect(other.json().error.message).toContain('the package is the plugin "notes", not "owners"');

    const same = await postZip(
      a,
      '/api/plugins/owners/update',
      pluginZip('owners', { capabilities: ['read-metadata'] }),
    );
    expect(same.statusCode).toBe(409);
    expect(same.json().error.message).toContain('Version 1.0.0 of "owners" is installed already');

    const future = version2(['read-metadata'], { compatibility: { workbench: '>=5', pluginApi: 1 } });
    const incompatible = await postZip(a, '/api/plugins/owners/update', future);
    expect(incompatible.statusCode).toBe(400);
    expect(incompatible.json().error.message).toContain('the installed version stays');

    const corrupt = await postZip(a, '/api/plugins/owners/update', Buffer.from('not a zip'));
    expect(corrupt.statusCode).toBe(400);

    expect((await postZip(a, '/api/plugins/nobody/update', version2([]))).statusCode).toBe(404);
    expect(installedVersion(a)).toBe('1.0.0');
    expect(leftovers(a)).toEqual({ staging: [], trash: [], pending: [], plugins: ['owners'] });
    expect((await call(a, 'GET', '/api/plugins/owners')).json().state).toBe('active');
  });

  test('approving or discarding with nothing pending is a 404', async () => {
    const a = await withOwners();
    expect((await call(a, 'POST', '/api/plugins/owners/update/approve', { version: '2.0.0' })).statusCode).toBe(404);
    expect((await call(a, 'DELETE', '/api/plugins/owners/update')).statusCode).toBe(404);
    expect((await call(a, 'POST', '/api/plugins/owners/update/approve', {})).statusCode).toBe(400);
  });

  test('only instance admins may update', async () => {
    const a = await withOwners();
    const developer = await a.userWithRoles('dev', { default: 'developer' });
    expect((await postZip(a, '/api/plugins/owners/update', version2([]), developer)).statusCode).toBe(403);
    expect(existsSync(path.join(a.dir, 'plugins', 'owners'))).toBe(true);
  });
});
