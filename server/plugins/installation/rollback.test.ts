import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { startTestApp, type TestApp } from '../../testing/test-app.ts';
import { packageLayout } from './layout.ts';
import { call, leftovers, pluginZip, postZip } from './testing.ts';
import { keptRoot } from './versions.ts';

let app: TestApp | undefined;
afterEach(async () => {
  await app?.close();
  app = undefined;
});

/** An app with `owners` 1.0.0 installed and approved, then updated to each of `versions` in turn. */
async function withOwners(...versions: string[]): Promise<TestApp> {
  app = await startTestApp({ features: [] });
  const zip = pluginZip('owners', { capabilities: ['read-metadata'] });
  expect((await postZip(app, '/api/plugins/install', zip)).statusCode).toBe(201);
  expect((await call(app, 'POST', '/api/plugins/owners/approve', { version: '1.0.0' })).json().state).toBe('active');
  for (const version of versions) {
    const updated = await postZip(
      app,
      '/api/plugins/owners/update',
      pluginZip('owners', { version, capabilities: ['read-metadata'] }),
    );
    expect(updated.json().status, updated.body).toBe('activated');
  }
  return app;
}

const runningVersion = (a: TestApp) =>
  JSON.parse(readFileSync(path.join(a.dir, 'plugins', 'owners', 'manifest.json'), 'utf8')).version as string;

describe('rollback', () => {
  test('after a bad update, rollback restores the old version at once with its approvals, and audits it', async () => {
    const a = await withOwners('2.0.0');
    const response = await call(a, 'POST', '/api/plugins/owners/rollback', {});
    expect(response.statusCode, response.body).toBe(200);
    expect(response.json()).toMatchObject({
      from: '2.0.0',
      to: '1.0.0',
      plugin: { version: '1.0.0', state: 'active', approvedCapabilities: ['read-metadata'] },
      installation: { version: '1.0.0', previousVersion: '2.0.0' },
      versions: { current: '1.0.0', kept: ['2.0.0'] },
    });
    expect(runningVersion(a)).toBe('1.0.0');
    expect((await call(a, 'GET', '/api/plugins/owners')).json()).toMatchObject({ version: '1.0.0', state: 'active' });
    expect(leftovers(a)).toMatchObject({ staging: [], trash: [], plugins: ['owners'] });
    const audit = (await call(a, 'GET', '/api/audit')).json().entries[0];
    expect(audit).toMatchObject({
      action: 'plugin.rollback',
      target: 'owners',
      details: { from: '2.0.0', to: '1.0.0' },
    });

    // Rolling forward again is a rollback to the version just left.
    const forward = await call(a, 'POST', '/api/plugins/owners/rollback', { version: '2.0.0' });
    expect(forward.json()).toMatchObject({ to: '2.0.0', plugin: { version: '2.0.0', state: 'active' } });
  });

  test('approvals follow the version: each runs at once with what was approved for it', async () => {
    const a = await withOwners();
    const zip = pluginZip('owners', { version: '2.0.0', capabilities: ['read-metadata', 'extend-api'] });
    expect((await postZip(a, '/api/plugins/owners/update', zip)).json().status).toBe('pending-approval');
    expect((await call(a, 'POST', '/api/plugins/owners/update/approve', { version: '2.0.0' })).statusCode).toBe(200);

    const back = await call(a, 'POST', '/api/plugins/owners/rollback', {});
    expect(back.json().plugin).toMatchObject({
      version: '1.0.0',
      state: 'active',
      approvedCapabilities: ['read-metadata'],
    });
    const forward = await call(a, 'POST', '/api/plugins/owners/rollback', {});
    expect(forward.json().plugin).toMatchObject({
      version: '2.0.0',
      state: 'active',
      approvedCapabilities: ['read-metadata', 'extend-api'],
    });
  });

  test('keeps PLUGIN_KEEP_VERSIONS (3) previous versions, and rolls back to a named older one', async () => {
    const a = await withOwners('2.0.0', '3.0.0', '4.0.0', '5.0.0');
    const versions = (await call(a, 'GET', '/api/plugins/owners/versions')).json();
    expect(versions).toEqual({
      name: 'owners',
      current: '5.0.0',
      kept: ['4.0.0', '3.0.0', '2.0.0'],
      previous: '4.0.0',
      pin: null,
    });
    expect(leftovers(a).trash).toEqual([]);

    const named = await call(a, 'POST', '/api/plugins/owners/rollback', { version: '2.0.0' });
    expect(named.statusCode, named.body).toBe(200);
    expect(runningVersion(a)).toBe('2.0.0');
    expect(named.json().versions).toMatchObject({ current: '2.0.0', kept: ['5.0.0', '4.0.0', '3.0.0'] });

    const gone = await call(a, 'POST', '/api/plugins/owners/rollback', { version: '1.0.0' });
    expect(gone.statusCode).toBe(409);
    expect(gone.json().error.message).toContain('Version 1.0.0 of "owners" is not kept; it can roll back to v5.0.0');

    // Removing the plugin deletes every kept version.
    expect((await call(a, 'DELETE', '/api/plugins/owners')).statusCode).toBe(200);
    const layout = packageLayout(a.context.settings.dataDirectory, a.context.settings.pluginsDirectory);
    expect(existsSync(keptRoot(layout, 'owners'))).toBe(false);
    expect(existsSync(layout.previousFor('owners'))).toBe(false);
    expect(readdirSync(layout.trash)).toEqual([]);
  });

  test('409 with a clear message when there is nothing to roll back to; 404 for an unknown plugin; admins only', async () => {
    const a = await withOwners();
    const none = await call(a, 'POST', '/api/plugins/owners/rollback', {});
    expect(none.statusCode).toBe(409);
    expect(none.json().error.message).toBe('Plugin "owners" has no kept previous version to roll back to');
    expect((await call(a, 'POST', '/api/plugins/nobody/rollback', {})).statusCode).toBe(404);
    const developer = await a.userWithRoles('dev', { default: 'developer' });
    expect((await call(a, 'POST', '/api/plugins/owners/rollback', {}, developer)).statusCode).toBe(403);
    expect((await call(a, 'POST', '/api/plugins/owners/pin', {}, developer)).statusCode).toBe(403);
  });
});

describe('pinning', () => {
  test('a pinned plugin refuses updates and rollbacks, naming the pin, until unpinned', async () => {
    const a = await withOwners('2.0.0');
    const pinned = await call(a, 'POST', '/api/plugins/owners/pin', {});
    expect(pinned.statusCode, pinned.body).toBe(200);
    expect(pinned.json().pin).toMatchObject({ version: '2.0.0', by: 'admin' });

    const refused = await postZip(a, '/api/plugins/owners/update', pluginZip('owners', { version: '3.0.0' }));
    expect(refused.statusCode).toBe(409);
    expect(refused.json().error.message).toContain('Plugin "owners" is pinned at version 2.0.0 by admin');
    const catalogRefused = await call(a, 'POST', '/api/plugins/owners/rollback', {});
    expect(catalogRefused.statusCode).toBe(409);
    expect(runningVersion(a)).toBe('2.0.0');
    expect(leftovers(a)).toMatchObject({ staging: [], trash: [], pending: [] });

    const actions = (await call(a, 'GET', '/api/audit')).json().entries.map((e: { action: string }) => e.action);
    expect(actions[0]).toBe('plugin.pin');

    expect((await call(a, 'POST', '/api/plugins/owners/unpin', {})).json().pin).toBeNull();
    expect((await call(a, 'POST', '/api/plugins/owners/unpin', {})).statusCode).toBe(409);
    const updated = await postZip(a, '/api/plugins/owners/update', pluginZip('owners', { version: '3.0.0' }));
    expect(updated.json().status, updated.body).toBe('activated');
  });
});
