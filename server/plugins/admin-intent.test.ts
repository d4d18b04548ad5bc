import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { remoteNameFor } from '@dbt-workbench/plugin-sdk/contracts/versions';
import { startTestApp, type TestApp } from '../testing/test-app.ts';
import { createSandboxFeature, pluginBackendsOf } from '../sandbox/feature.ts';
import { approve, callExt, eventually, withFixtures } from '../sandbox/testing.ts';

// The admin's switches decide what runs, whatever the newest build on disk is doing (issue 13 item 1): a plugin
// whose broken 1.0.1 sits on disk while 1.0.0 keeps serving is disabled, enabled and switched off per workspace.
// Each switch holds by the time its request answers; how soon an open shell shows it is benchmark B3's measure.
let app: TestApp;
const folder = () => path.join(app.dir, 'plugins', 'versioned');
const as = (workspace: string) => ({ cookie: app.adminCookie, workspace });
const changes: { plugins: string[]; at: number }[] = [];

/** The plugins whose UI the shell of `workspace` loads. */
async function extensionsIn(workspace: string): Promise<string[]> {
  const response = await app.server.inject({
    url: `/api/workspaces/${workspace}/extensions`,
    headers: { cookie: app.adminCookie },
  });
  return (response.json() as { extensions: { plugin: string }[] }).extensions.map((e) => e.plugin);
}

async function admin(method: 'POST' | 'PUT', url: string, payload?: object) {
  const response = await app.server.inject({ method, url, headers: { cookie: app.adminCookie }, payload });
  expect(response.statusCode, response.body).toBe(200);
  return response.json() as { state: string; reloadError?: { reason: string } };
}

beforeAll(async () => {
  app = await startTestApp({
    features: [createSandboxFeature()],
    env: { PLUGINS_WATCH: 'false' },
    workspaces: [{ name: 'default' }, { name: 'other' }],
    prepare(dir) {
      withFixtures('versioned')(dir);
      const plugin = path.join(dir, 'plugins', 'versioned');
      const manifest = JSON.parse(readFileSync(path.join(plugin, 'manifest.json'), 'utf8'));
      manifest.frontend = {
        remote: 'mf-manifest.json',
        contributions: [{ slot: 'dashboard.widget', id: 'w', module: './W' }],
      };
      writeFileSync(path.join(plugin, 'manifest.json'), JSON.stringify(manifest));
      mkdirSync(path.join(plugin, 'frontend'));
      writeFileSync(
        path.join(plugin, 'frontend', 'mf-manifest.json'),
        JSON.stringify({ name: remoteNameFor('versioned'), exposes: [{ path: './W' }] }),
      );
      writeFileSync(path.join(plugin, 'frontend', 'remoteEntry.js'), 'var wb_versioned = "version one";');
    },
  });
  await approve(app, 'versioned');
  await eventually('1.0.0 to serve', async () =>
    (await callExt(app, '/api/ext/versioned/build')).statusCode === 200 ? true : undefined,
  );
  // A broken 1.0.1 lands on disk: its manifest asks for a capability that does not exist.
  const manifest = JSON.parse(readFileSync(path.join(folder(), 'manifest.json'), 'utf8'));
  writeFileSync(
    path.join(folder(), 'manifest.json'),
    JSON.stringify({ ...manifest, version: '1.0.1', capabilities: ['extend-api', 'not-a-capability'] }),
  );
  await app.plugins.refresh();
  app.plugins.subscribe((change) => changes.push({ plugins: change.plugins, at: Date.now() }));
}, 30_000);
afterAll(() => app?.close());

describe('the admin’s switches win over a broken build on disk', () => {
  test('1.0.0 keeps serving while the broken 1.0.1 is reported', async () => {
    const detail = (
      await app.server.inject({ url: '/api/plugins/versioned', headers: { cookie: app.adminCookie } })
    ).json();
    expect(detail).toMatchObject({ state: 'active', version: '1.0.0', reloadError: { state: 'invalid' } });
    expect((await callExt(app, '/api/ext/versioned/build')).statusCode).toBe(200);
    expect(await extensionsIn('default')).toEqual(['versioned']);
  });

  test('disable: once it answers, no UI, a 404 route, an event to open shells, and the backend stops', async () => {
    const started = Date.now();
    const disabled = await admin('POST', '/api/plugins/versioned/disable');
    expect(disabled.state).toBe('disabled');
    expect(disabled.reloadError?.reason).toContain('capabilities[1]');
    expect(await extensionsIn('default')).toEqual([]);
    expect((await callExt(app, '/api/ext/versioned/build')).statusCode).toBe(404);
    expect(changes.find((c) => c.at >= started && c.plugins.includes('versioned'))).toBeDefined();
    // Hooks, events and schedules run in the backend: no process, none of them.
    await eventually('the backend to stop', () =>
      pluginBackendsOf(app.plugins)!.pid('versioned') === undefined ? true : undefined,
    );
    expect(pluginBackendsOf(app.plugins)!.state('versioned').state).not.toBe('active');
  });

  test('enable brings 1.0.0 back, not the broken build', async () => {
    const enabled = await admin('POST', '/api/plugins/versioned/enable');
    // Switched on at once (UI, routes). Its backend is a build the server already ran, so it stays idle until the
    // first call (`active`); were it started now, the plugin would report `loading` until it answers.
    expect(enabled).toMatchObject({ reloadError: { state: 'invalid' } });
    expect(['active', 'loading']).toContain(enabled.state);
    expect(app.plugins.get('versioned')?.state).toBe('active');
    expect(await extensionsIn('default')).toEqual(['versioned']);
    const call = await callExt(app, '/api/ext/versioned/build');
    expect(call.statusCode).toBe(200);
    expect(call.json()).toMatchObject({ build: 1 });
  });

  test('a workspace switched off has lost UI and routes there once the switch answers; the other keeps them', async () => {
    await admin('PUT', '/api/plugins/versioned/workspaces/other', { enabled: false });
    expect(await extensionsIn('other')).toEqual([]);
    expect((await callExt(app, '/api/ext/versioned/build', as('other'))).statusCode).toBe(404);
    expect(await extensionsIn('default')).toEqual(['versioned']);
    expect((await callExt(app, '/api/ext/versioned/build', as('default'))).statusCode).toBe(200);

    await admin('PUT', '/api/plugins/versioned/workspaces/other', { enabled: true });
    expect(await extensionsIn('other')).toEqual(['versioned']);
    expect((await callExt(app, '/api/ext/versioned/build', as('other'))).statusCode).toBe(200);
  });

  test('a healthy build on disk is taken again', async () => {
    const manifest = JSON.parse(readFileSync(path.join(folder(), 'manifest.json'), 'utf8'));
    const healthy = { ...manifest, version: '1.0.0', capabilities: ['extend-api'], description: 'Fixed.' };
    writeFileSync(path.join(folder(), 'manifest.json'), JSON.stringify(healthy));
    await app.plugins.refresh();
    const detail = app.plugins.get('versioned')!;
    expect(detail).toMatchObject({ state: 'active', manifest: { description: 'Fixed.' } });
    expect(detail.reloadError).toBeUndefined();
  });
});
