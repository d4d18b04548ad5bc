import { existsSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { startTestApp, type TestApp } from '../../testing/test-app.ts';
import { pluginsInFlight } from './in-flight.ts';
import { call, leftovers, pluginZip, postZip, writePluginFolder } from './testing.ts';

let app: TestApp | undefined;
afterEach(async () => {
  await app?.close();
  app = undefined;
});

async function withOwners(): Promise<TestApp> {
  app = await startTestApp({ features: [], workspaces: [{ name: 'alpha' }] });
  await postZip(app, '/api/plugins/install', pluginZip('owners', { capabilities: ['read-metadata'] }));
  await call(app, 'POST', '/api/plugins/owners/approve', { version: '1.0.0' });
  return app;
}

const rowsOf = (a: TestApp, table: string) => a.context.db.all(`SELECT * FROM ${table} WHERE name = ?`, ['owners']);

describe('remove', () => {
  test('deletes its files, approvals, enablement, configuration and versions, and keeps the audit trail', async () => {
    const a = await withOwners();
    await call(a, 'PUT', '/api/plugins/owners/workspaces/alpha', { enabled: false });
    await a.context.db.run('INSERT INTO plugin_config (name, config, updated_by, updated_at) VALUES (?, ?, NULL, ?)', [
      'owners',
      '{"team":"x"}',
      new Date().toISOString(),
    ]);
    await postZip(
      a,
      '/api/plugins/owners/update',
      pluginZip('owners', { version: '1.1.0', capabilities: ['read-metadata'] }),
    );
    await postZip(
      a,
      '/api/plugins/owners/update',
      pluginZip('owners', { version: '2.0.0', capabilities: ['extend-api'] }),
    );
    expect(leftovers(a)).toMatchObject({ pending: ['owners'] });
    const changes: string[][] = [];
    a.plugins.subscribe((change) => changes.push(change.plugins));

    const removed = await call(a, 'DELETE', '/api/plugins/owners');
    expect(removed.statusCode, removed.body).toBe(200);
    expect(removed.json()).toEqual({ removed: 'owners', version: '1.1.0' });
    expect(changes).toEqual([['owners']]);
    expect((await call(a, 'GET', '/api/plugins/owners')).statusCode).toBe(404);
    expect(existsSync(path.join(a.dir, 'plugins', 'owners'))).toBe(false);
    expect(leftovers(a)).toEqual({ staging: [], trash: [], pending: [], plugins: [] });
    for (const table of [
      'plugin_approvals',
      'plugin_enablement',
      'plugin_config',
      'plugin_installations',
      'plugin_pending_updates',
    ]) {
      expect(await rowsOf(a, table), table).toEqual([]);
    }
    const actions = (await call(a, 'GET', '/api/audit')).json().entries.map((e: { action: string }) => e.action);
    expect(actions[0]).toBe('plugin.remove');
    expect(actions).toContain('plugin.install');
    expect(actions).toContain('plugin.approve');

    // Installed again, it starts over: approval needed again.
    const again = await postZip(a, '/api/plugins/install', pluginZip('owners', { capabilities: ['read-metadata'] }));
    expect(again.json().plugin.state).toBe('pending-approval');
  });

  test('is refused with 409 while the plugin has operations in flight', async () => {
    const a = await withOwners();
    const tracker = pluginsInFlight(a.plugins);
    const done = tracker.begin('owners');
    const stopSource = tracker.addSource((name) => (name === 'owners' ? 1 : 0));
    const busy = await call(a, 'DELETE', '/api/plugins/owners');
    expect(busy.statusCode).toBe(409);
    expect(busy.json().error.message).toContain('has 2 operations in flight');
    expect(existsSync(path.join(a.dir, 'plugins', 'owners'))).toBe(true);

    done();
    done(); // ending twice counts once
    expect(tracker.count('owners')).toBe(1);
    stopSource();
    expect((await call(a, 'DELETE', '/api/plugins/owners')).statusCode).toBe(200);
  });

  test('a plugin placed in the folder by hand can be removed too; an unknown one is a 404', async () => {
    app = await startTestApp({
      features: [],
      prepare(dir) {
        writePluginFolder(path.join(dir, 'plugins', 'handmade'), 'handmade');
      },
    });
    expect((await call(app, 'DELETE', '/api/plugins/handmade')).json()).toEqual({
      removed: 'handmade',
      version: '1.0.0',
    });
    expect(leftovers(app).plugins).toEqual([]);
    expect((await call(app, 'DELETE', '/api/plugins/handmade')).statusCode).toBe(404);
  });

  test('only instance admins may remove', async () => {
    const a = await withOwners();
    const viewer = await a.userWithRoles('viewer', { alpha: 'viewer' });
    expect((await call(a, 'DELETE', '/api/plugins/owners', undefined, viewer)).statusCode).toBe(403);
    expect(existsSync(path.join(a.dir, 'plugins', 'owners'))).toBe(true);
  });
});
