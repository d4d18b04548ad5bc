import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { remoteNameFor } from '@dbt-workbench/plugin-sdk/contracts/versions';
import { afterEach, describe, expect, test } from 'vitest';
import { testManifest } from '../../shared/testing/manifests.ts';
import { serverEventAfter } from '../testing/server-events.ts';
import { startTestApp, type TestApp } from '../testing/test-app.ts';

let app: TestApp | undefined;
afterEach(async () => {
  await app?.close();
  app = undefined;
});

const configuration = {
  schema: {
    type: 'object',
    properties: {
      threshold: { type: 'number', minimum: 0, maximum: 100 },
      label: { type: 'string', default: 'quality' },
    },
    additionalProperties: false,
  },
  default: { threshold: 80 },
};

async function start(): Promise<TestApp> {
  app = await startTestApp({
    workspaces: [{ name: 'alpha' }, { name: 'beta' }],
    prepare(dir) {
      mkdirSync(path.join(dir, 'plugins', 'tuned', 'frontend'), { recursive: true });
      const remote = { name: remoteNameFor('tuned'), exposes: [] };
      writeFileSync(path.join(dir, 'plugins', 'tuned', 'frontend', 'mf-manifest.json'), JSON.stringify(remote));
      const manifest = testManifest('tuned', {
        configuration,
        frontend: {
          remote: 'mf-manifest.json',
          contributions: [{ slot: 'sql.template', id: 'rows', title: 'Rows', sql: 'select 1' }],
        },
      });
      writeFileSync(path.join(dir, 'plugins', 'tuned', 'manifest.json'), JSON.stringify(manifest));
    },
  });
  return app;
}

const url = (workspace: string, plugin = 'tuned') => `/api/plugins/${plugin}/config/workspaces/${workspace}`;

function call(method: 'GET' | 'PUT' | 'DELETE', target: string, cookie: string, config?: unknown) {
  return app!.server.inject({
    method,
    url: target,
    headers: { cookie },
    ...(config === undefined ? {} : { payload: { config } }),
  });
}

async function configIn(workspace: string): Promise<unknown> {
  const response = await call('GET', `/api/workspaces/${workspace}/extensions`, app!.adminCookie);
  expect(response.statusCode).toBe(200);
  const extensions = response.json().extensions as { plugin: string; pluginConfig: unknown }[];
  return extensions.find((e) => e.plugin === 'tuned')?.pluginConfig;
}

describe("a workspace's configuration of a plugin", () => {
  test('an override changes that workspace only, is audited, and is announced to open shells', async () => {
    const { adminCookie, server } = await start();
    const address = await server.listen({ port: 0, host: '127.0.0.1' });
    let saved: Awaited<ReturnType<typeof call>> | undefined;
    const event = await serverEventAfter(
      address,
      adminCookie,
      (e) => e.type === 'plugin-config-changed',
      async () => (saved = await call('PUT', url('alpha'), adminCookie, { threshold: 40 })),
    );
    expect(event).toMatchObject({ type: 'plugin-config-changed', plugin: 'tuned', workspace: 'alpha' });
    expect(saved!.statusCode).toBe(200);
    expect(saved!.json()).toMatchObject({
      workspace: 'alpha',
      global: { threshold: 80, label: 'quality' },
      override: { threshold: 40 },
      overridden: ['threshold'],
      value: { threshold: 40, label: 'quality' },
    });
    expect(await configIn('alpha')).toEqual({ threshold: 40, label: 'quality' });
    expect(await configIn('beta')).toEqual({ threshold: 80, label: 'quality' });
    const audit = (await call('GET', '/api/audit', adminCookie)).json().entries;
    expect(audit[0]).toMatchObject({
      action: 'plugin.configure-workspace',
      target: 'tuned',
      workspace: 'alpha',
      details: { config: { threshold: 40 } },
    });
  });

  test('a global change still reaches the fields a workspace does not override', async () => {
    const { adminCookie } = await start();
    await call('PUT', url('alpha'), adminCookie, { label: 'alpha only' });
    const global = await call('PUT', '/api/plugins/tuned/config', adminCookie, { threshold: 60 });
    expect(global.statusCode).toBe(200);
    expect(await configIn('alpha')).toEqual({ threshold: 60, label: 'alpha only' });
    expect(await configIn('beta')).toEqual({ threshold: 60, label: 'quality' });
    expect((await call('GET', url('alpha'), adminCookie)).json()).toMatchObject({
      overridden: ['label'],
      value: { threshold: 60, label: 'alpha only' },
    });
  });

  test('a value outside the schema is refused naming the field, and nothing changes', async () => {
    const { adminCookie } = await start();
    await call('PUT', url('alpha'), adminCookie, { threshold: 40 });
    const tooHigh = await call('PUT', url('alpha'), adminCookie, { threshold: 101 });
    expect(tooHigh.statusCode).toBe(400);
    expect(tooHigh.json().error.code).toBe('bad_request');
    expect(tooHigh.json().error.message).toMatch(/workspace "alpha".*threshold/);
    const unknown = await call('PUT', url('alpha'), adminCookie, { colour: 'red' });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json().error.message).toMatch(/colour/);
    const notAnObject = await call('PUT', url('alpha'), adminCookie, ['threshold']);
    expect(notAnObject.statusCode).toBe(400);
    expect(await configIn('alpha')).toEqual({ threshold: 40, label: 'quality' });
  });

  test('reset drops the override: the workspace follows the global configuration again', async () => {
    const { adminCookie } = await start();
    await call('PUT', url('alpha'), adminCookie, { threshold: 40 });
    const reset = await call('DELETE', url('alpha'), adminCookie);
    expect(reset.statusCode).toBe(200);
    expect(reset.json()).toMatchObject({ override: {}, overridden: [], value: { threshold: 80 } });
    expect(await configIn('alpha')).toEqual({ threshold: 80, label: 'quality' });
    const audit = (await call('GET', '/api/audit', adminCookie)).json().entries;
    expect(audit[0]).toMatchObject({ action: 'plugin.configure-workspace-reset', workspace: 'alpha' });
  });

  test("a workspace's admin may configure it; not another workspace, and not as a developer", async () => {
    await start();
    const alphaAdmin = await app!.userWithRoles('ada', { alpha: 'admin', beta: 'developer' });
    expect((await call('PUT', url('alpha'), alphaAdmin, { threshold: 30 })).statusCode).toBe(200);
    const asDeveloper = await call('PUT', url('beta'), alphaAdmin, { threshold: 30 });
    expect(asDeveloper.statusCode).toBe(403);
    const outsider = await app!.userWithRoles('otto', { beta: 'admin' });
    const elsewhere = await call('PUT', url('alpha'), outsider, { threshold: 30 });
    expect(elsewhere.statusCode).toBe(404);
    expect(elsewhere.json().error.code).toBe('workspace_not_found');
    expect(await configIn('alpha')).toEqual({ threshold: 30, label: 'quality' });
    expect(await configIn('beta')).toEqual({ threshold: 80, label: 'quality' });
  });

  test('disable keeps the override; remove drops it with the plugin', async () => {
    const { adminCookie } = await start();
    await call('PUT', url('alpha'), adminCookie, { threshold: 40 });
    expect(
      (
        await app!.server.inject({
          method: 'POST',
          url: '/api/plugins/tuned/disable',
          headers: { cookie: adminCookie },
        })
      ).statusCode,
    ).toBe(200);
    expect((await call('GET', url('alpha'), adminCookie)).json().override).toEqual({ threshold: 40 });
    expect(
      (await app!.server.inject({ method: 'POST', url: '/api/plugins/tuned/enable', headers: { cookie: adminCookie } }))
        .statusCode,
    ).toBe(200);
    expect(await configIn('alpha')).toEqual({ threshold: 40, label: 'quality' });
    const removed = await app!.server.inject({
      method: 'DELETE',
      url: '/api/plugins/tuned',
      headers: { cookie: adminCookie },
    });
    expect(removed.statusCode).toBe(200);
    expect((await call('GET', url('alpha'), adminCookie)).statusCode).toBe(404);
    const rows = await app!.context.db.all('SELECT * FROM plugin_workspace_config');
    expect(rows).toEqual([]);
  });

  test("a removed workspace's overrides go with it", async () => {
    const { adminCookie } = await start();
    await call('PUT', url('beta'), adminCookie, { threshold: 20 });
    const removed = await call('DELETE', '/api/workspaces/beta', adminCookie);
    expect(removed.statusCode).toBe(200);
    expect(await app!.context.db.all('SELECT * FROM plugin_workspace_config')).toEqual([]);
  });

  test('a plugin without a configuration, or not installed, is refused', async () => {
    const { adminCookie } = await start();
    expect((await call('GET', url('alpha', 'nowhere'), adminCookie)).statusCode).toBe(404);
  });
});
