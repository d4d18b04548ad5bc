import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { testManifest } from '../../shared/testing/manifests.ts';
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
      threshold: { type: 'number', minimum: 0, maximum: 100, default: 90 },
      label: { type: 'string', default: 'quality' },
    },
    additionalProperties: false,
  },
  default: { threshold: 80 },
};

function writePlugin(dir: string, name: string, extra: Record<string, unknown>): void {
  mkdirSync(path.join(dir, 'plugins', name), { recursive: true });
  writeFileSync(path.join(dir, 'plugins', name, 'manifest.json'), JSON.stringify(testManifest(name, extra)));
}

async function start(): Promise<TestApp> {
  app = await startTestApp({
    prepare(dir) {
      writePlugin(dir, 'tuned', { configuration });
      writePlugin(dir, 'broken-schema', {
        configuration: { schema: { type: 'object', properties: { x: { type: 'nonsense' } } } },
      });
      writePlugin(dir, 'bad-default', { configuration: { schema: configuration.schema, default: { threshold: 500 } } });
    },
  });
  return app;
}

const put = (config: unknown) =>
  app!.server.inject({
    method: 'PUT',
    url: '/api/plugins/tuned/config',
    headers: { cookie: app!.adminCookie },
    payload: { config },
  });

describe('plugin configuration', () => {
  test('reads the default with the schema defaults filled in', async () => {
    const { server, adminCookie } = await start();
    const view = (await server.inject({ url: '/api/plugins/tuned/config', headers: { cookie: adminCookie } })).json();
    expect(view).toMatchObject({ stored: null, value: { threshold: 80, label: 'quality' }, problems: [] });
    expect(app!.plugins.get('tuned')?.config).toEqual({ threshold: 80, label: 'quality' });
  });

  test('a valid change is stored, audited, and reaches the running plugin and open shells', async () => {
    await start();
    const changes: string[][] = [];
    app!.plugins.subscribe((change) => changes.push(change.plugins));
    const response = await put({ threshold: 95 });
    expect(response.statusCode).toBe(200);
    expect(response.json().value).toEqual({ threshold: 95, label: 'quality' });
    expect(app!.plugins.get('tuned')?.config).toEqual({ threshold: 95, label: 'quality' });
    expect(changes).toEqual([['tuned']]);
    const extensions = await app!.server.inject({
      url: '/api/workspaces/default/extensions',
      headers: { cookie: app!.adminCookie },
    });
    expect(extensions.statusCode).toBe(200);
    const audit = (await app!.server.inject({ url: '/api/audit', headers: { cookie: app!.adminCookie } })).json()
      .entries;
    expect(audit[0]).toMatchObject({ action: 'plugin.configure', target: 'tuned' });
  });

  test('a value outside the schema is refused with its path, and nothing changes', async () => {
    await start();
    const tooHigh = await put({ threshold: 101 });
    expect(tooHigh.statusCode).toBe(400);
    expect(tooHigh.json().error.message).toContain('config.threshold: must be <= 100');
    const unknown = await put({ colour: 'red' });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json().error.message).toContain('must NOT have additional properties');
    expect(app!.plugins.get('tuned')?.config).toEqual({ threshold: 80, label: 'quality' });
  });

  test('a manifest whose schema does not compile, or whose default breaks it, is invalid with the reason', async () => {
    await start();
    const broken = app!.plugins.get('broken-schema');
    expect(broken?.state).toBe('invalid');
    expect(broken?.reason).toContain('configuration.schema');
    const badDefault = app!.plugins.get('bad-default');
    expect(badDefault?.state).toBe('invalid');
    expect(badDefault?.reason).toContain('configuration.default.threshold');
  });
});
