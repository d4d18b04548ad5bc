import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { testManifest } from '../../shared/testing/manifests.ts';
import { remoteNameFor } from '@dbt-workbench/plugin-sdk/contracts/versions';
import { startTestApp, type TestApp, type TestAppOptions } from '../testing/test-app.ts';

let app: TestApp | undefined;
afterEach(async () => {
  await app?.close();
  app = undefined;
});

/** A plugin with one dashboard widget and a built remote's manifest. */
function writeWidgetPlugin(dir: string, name: string, extra: Record<string, unknown> = {}): void {
  const pluginDir = path.join(dir, 'plugins', name);
  mkdirSync(path.join(pluginDir, 'frontend'), { recursive: true });
  const manifest = testManifest(name, {
    frontend: { remote: 'mf-manifest.json', contributions: [{ slot: 'dashboard.widget', id: 'w', module: './W' }] },
    ...extra,
  });
  writeFileSync(path.join(pluginDir, 'manifest.json'), JSON.stringify(manifest));
  writeFileSync(
    path.join(pluginDir, 'frontend', 'mf-manifest.json'),
    JSON.stringify({ name: remoteNameFor(name), exposes: [{ path: './W' }] }),
  );
}

async function start(options: TestAppOptions = {}): Promise<TestApp> {
  app = await startTestApp({
    workspaces: [{ name: 'alpha' }, { name: 'beta' }],
    ...options,
    prepare(dir) {
      writeWidgetPlugin(dir, 'quality', { capabilities: ['read-metadata', 'extend-api'] });
      writeWidgetPlugin(dir, 'owners');
      options.prepare?.(dir);
    },
  });
  return app;
}

async function call(method: 'GET' | 'POST' | 'PUT', url: string, cookie: string, payload?: Record<string, unknown>) {
  return app!.server.inject({ method, url, headers: { cookie }, ...(payload === undefined ? {} : { payload }) });
}

async function widgetsIn(workspace: string): Promise<string[]> {
  const response = await call('GET', `/api/workspaces/${workspace}/extensions`, app!.adminCookie);
  return (response.json().extensions as { plugin: string }[]).map((e) => e.plugin).sort();
}

describe('approvals', () => {
  test('approving the reviewed version activates the plugin and is audited', async () => {
    const { adminCookie } = await start();
    expect((await call('GET', '/api/plugins/quality', adminCookie)).json()).toMatchObject({
      state: 'pending-approval',
      approvedCapabilities: [],
    });
    expect(await widgetsIn('alpha')).toEqual(['owners']);

    const approved = await call('POST', '/api/plugins/quality/approve', adminCookie, { version: '1.0.0' });
    expect(approved.statusCode).toBe(200);
    expect(approved.json()).toMatchObject({ state: 'active', approvedCapabilities: ['read-metadata', 'extend-api'] });
    expect(await widgetsIn('alpha')).toEqual(['owners', 'quality']);

    const audit = (await call('GET', '/api/audit', adminCookie)).json().entries;
    expect(audit[0]).toMatchObject({ action: 'plugin.approve', target: 'quality', actorName: 'admin' });
  });

  test('approving a version other than the installed one is refused and changes nothing', async () => {
    const { adminCookie } = await start();
    const response = await call('POST', '/api/plugins/quality/approve', adminCookie, { version: '0.9.0' });
    expect(response.statusCode).toBe(409);
    expect(response.json().error.message).toContain('1.0.0 is installed now');
    expect((await call('GET', '/api/plugins/quality', adminCookie)).json().state).toBe('pending-approval');
    const missingVersion = await call('POST', '/api/plugins/quality/approve', adminCookie, {});
    expect(missingVersion.statusCode).toBe(400);
    expect(missingVersion.json().error.message).toContain('version');
  });

  test('only instance admins may approve', async () => {
    const { userWithRoles } = await start();
    const workspaceAdmin = await userWithRoles('ws-admin', { alpha: 'admin' });
    const response = await call('POST', '/api/plugins/quality/approve', workspaceAdmin, { version: '1.0.0' });
    expect(response.statusCode).toBe(403);
  });

  test('the server policy can approve capabilities itself or forbid them', async () => {
    const { adminCookie } = await start({ env: { PLUGIN_AUTO_APPROVE: 'read-metadata,extend-api' } });
    expect((await call('GET', '/api/plugins/quality', adminCookie)).json().state).toBe('active');
    await app!.close();

    const forbidding = await start({ env: { PLUGIN_FORBIDDEN_CAPABILITIES: 'extend-api' } });
    const plugin = (await call('GET', '/api/plugins/quality', forbidding.adminCookie)).json();
    expect(plugin.state).toBe('incompatible');
    expect(plugin.reason).toContain('forbids the capabilities extend-api');
  });
});

describe('enablement', () => {
  test('disabling globally removes the plugin everywhere; enabling brings it back', async () => {
    const { adminCookie } = await start();
    const disabled = await call('POST', '/api/plugins/owners/disable', adminCookie);
    expect(disabled.json()).toMatchObject({ state: 'disabled', enabledWorkspaces: [], enablement: { global: false } });
    expect(await widgetsIn('alpha')).toEqual([]);
    expect(await widgetsIn('beta')).toEqual([]);

    const enabled = await call('POST', '/api/plugins/owners/enable', adminCookie);
    expect(enabled.json()).toMatchObject({ state: 'active', enabledWorkspaces: ['alpha', 'beta'] });
    expect(await widgetsIn('beta')).toEqual(['owners']);
  });

  test('a workspace rule overrides the global one, and null inherits it again', async () => {
    const { adminCookie } = await start();
    await call('PUT', '/api/plugins/owners/workspaces/beta', adminCookie, { enabled: false });
    expect(await widgetsIn('alpha')).toEqual(['owners']);
    expect(await widgetsIn('beta')).toEqual([]);

    await call('POST', '/api/plugins/owners/disable', adminCookie);
    const staged = await call('PUT', '/api/plugins/owners/workspaces/alpha', adminCookie, { enabled: true });
    expect(staged.json()).toMatchObject({
      state: 'active',
      enabledWorkspaces: ['alpha'],
      enablement: { global: false, workspaces: { alpha: true, beta: false } },
    });
    expect(await widgetsIn('alpha')).toEqual(['owners']);

    await call('PUT', '/api/plugins/owners/workspaces/alpha', adminCookie, { enabled: null });
    expect(await widgetsIn('alpha')).toEqual([]);
  });

  test('bad bodies and unknown workspaces are refused and change nothing', async () => {
    const { adminCookie } = await start();
    const bad = await call('PUT', '/api/plugins/owners/workspaces/alpha', adminCookie, { enabled: 'yes' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.message).toContain('enabled');
    const unknown = await call('PUT', '/api/plugins/owners/workspaces/gamma', adminCookie, { enabled: false });
    expect(unknown.statusCode).toBe(404);
    expect(await widgetsIn('alpha')).toEqual(['owners']);
  });

  test('the default rule is audited as a default change, not as enabling or disabling the plugin', async () => {
    const { adminCookie } = await start();
    await call('PUT', '/api/plugins/owners/workspaces/alpha', adminCookie, { enabled: true });
    const off = await call('PUT', '/api/plugins/owners/default', adminCookie, { enabled: false });
    expect(off.json()).toMatchObject({ state: 'active', enabledWorkspaces: ['alpha'], enablement: { global: false } });
    expect(await widgetsIn('beta')).toEqual([]);
    await call('PUT', '/api/plugins/owners/default', adminCookie, { enabled: true });
    await call('POST', '/api/plugins/owners/disable', adminCookie);
    const audit = (await call('GET', '/api/audit', adminCookie)).json().entries as { action: string }[];
    expect(audit.slice(0, 3).map((e) => e.action)).toEqual([
      'plugin.disable',
      'plugin.default-on',
      'plugin.default-off',
    ]);

    const bad = await call('PUT', '/api/plugins/owners/default', adminCookie, { enabled: null });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.message).toContain('enabled');
    expect((await call('PUT', '/api/plugins/nope/default', adminCookie, { enabled: true })).statusCode).toBe(404);
  });

  test('bulk: each plugin approved, enabled or disabled as alone, audited one by one, failures named', async () => {
    const { adminCookie } = await start({
      prepare(dir) {
        writeWidgetPlugin(dir, 'notes', { capabilities: ['read-metadata'] });
      },
    });
    const approved = await call('POST', '/api/plugins/bulk', adminCookie, {
      action: 'approve',
      plugins: [
        { name: 'quality', version: '1.0.0' },
        { name: 'notes', version: '0.9.0' },
        { name: 'nope', version: '1.0.0' },
        { name: 'owners' },
      ],
    });
    expect(approved.statusCode).toBe(200);
    expect(approved.json().results).toEqual([
      { name: 'quality', ok: true },
      {
        name: 'notes',
        ok: false,
        error: { code: 'conflict', message: 'You reviewed version 0.9.0, but 1.0.0 is installed now; review it again' },
      },
      { name: 'nope', ok: false, error: { code: 'plugin_not_found', message: expect.stringContaining('nope') } },
      { name: 'owners', ok: false, error: { code: 'bad_request', message: expect.stringContaining('version') } },
    ]);
    expect((await call('GET', '/api/plugins/quality', adminCookie)).json().state).toBe('active');
    expect((await call('GET', '/api/plugins/notes', adminCookie)).json().state).toBe('pending-approval');

    const disabled = await call('POST', '/api/plugins/bulk', adminCookie, {
      action: 'disable',
      plugins: [{ name: 'quality' }, { name: 'owners' }],
    });
    expect(disabled.json().results.every((r: { ok: boolean }) => r.ok)).toBe(true);
    expect(await widgetsIn('alpha')).toEqual([]);
    await call('POST', '/api/plugins/bulk', adminCookie, { action: 'enable', plugins: [{ name: 'owners' }] });
    expect(await widgetsIn('alpha')).toEqual(['owners']);
    const audit = (await call('GET', '/api/audit', adminCookie)).json().entries as { action: string; target: string }[];
    expect(audit.slice(0, 4).map((e) => `${e.action} ${e.target}`)).toEqual([
      'plugin.enable owners',
      'plugin.disable owners',
      'plugin.disable quality',
      'plugin.approve quality',
    ]);

    const bad = await call('POST', '/api/plugins/bulk', adminCookie, {
      action: 'remove',
      plugins: [{ name: 'owners' }],
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.message).toContain('action');
    expect((await call('POST', '/api/plugins/bulk', adminCookie, { action: 'enable', plugins: [] })).statusCode).toBe(
      400,
    );
  });

  test('with PLUGIN_DEFAULT_ENABLED=false a new plugin waits disabled until an admin enables it', async () => {
    const { adminCookie } = await start({ env: { PLUGIN_DEFAULT_ENABLED: 'false' } });
    expect((await call('GET', '/api/plugins/owners', adminCookie)).json().state).toBe('disabled');
    await call('POST', '/api/plugins/owners/enable', adminCookie);
    expect(await widgetsIn('alpha')).toEqual(['owners']);
  });

  test('every change is published to open shells', async () => {
    const testApp = await start();
    const changes: string[][] = [];
    testApp.plugins.subscribe((change) => changes.push(change.plugins));
    await call('PUT', '/api/plugins/owners/workspaces/beta', testApp.adminCookie, { enabled: false });
    expect(changes).toEqual([['owners']]);
  });
});

describe('reload', () => {
  test('POST reload rediscovers the plugin, is audited, and answers its state', async () => {
    const { adminCookie } = await start();
    const response = await call('POST', '/api/plugins/owners/reload', adminCookie);
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({ name: 'owners', state: 'active' });
    const audit = (await call('GET', '/api/audit', adminCookie)).json().entries;
    expect(audit[0]).toMatchObject({ action: 'plugin.reload', target: 'owners' });
    expect((await call('POST', '/api/plugins/nope/reload', adminCookie)).statusCode).toBe(404);
  });
});
