import { afterEach, describe, expect, test } from 'vitest';
import { startTestApp, type TestApp } from '../../testing/test-app.ts';
import { dependantsOf } from './dependants.ts';
import { call, pluginZip, postZip } from './testing.ts';

let app: TestApp | undefined;
afterEach(async () => {
  await app?.close();
  app = undefined;
});

/** An app with `core` and `reports` (which depends on core ^1) installed and active. */
async function withDependant(): Promise<TestApp> {
  app = await startTestApp({ features: [] });
  expect((await postZip(app, '/api/plugins/install', pluginZip('core'))).statusCode).toBe(201);
  const reports = pluginZip('reports', { dependencies: { core: '^1.0.0' } });
  expect((await postZip(app, '/api/plugins/install', reports)).statusCode).toBe(201);
  expect((await call(app, 'GET', '/api/plugins/reports')).json().state).toBe('active');
  return app;
}

const stateOf = async (a: TestApp, name: string) => (await call(a, 'GET', `/api/plugins/${name}`)).json();

describe('dependantsOf', () => {
  test('lists the plugins whose manifests depend on the name, not itself or others', () => {
    const manifest = (dependencies: Record<string, string>) => ({ dependencies }) as never;
    const list = dependantsOf(
      [
        { name: 'core', state: 'active', manifest: manifest({}) },
        { name: 'b', state: 'disabled', manifest: manifest({ core: '^1' }) },
        { name: 'a', state: 'active', manifest: manifest({ core: '>=1', other: '1' }) },
        { name: 'c', state: 'invalid' },
      ],
      'core',
    );
    expect(list).toEqual([
      { name: 'a', range: '>=1', state: 'active' },
      { name: 'b', range: '^1', state: 'disabled' },
    ]);
  });
});

describe('removing or disabling a plugin with dependants', () => {
  test('removal asks for confirmation listing them; once confirmed the dependant is inactive with the reason, and comes back', async () => {
    const a = await withDependant();
    expect((await call(a, 'GET', '/api/plugins/core/dependants')).json()).toEqual({
      name: 'core',
      dependants: [{ name: 'reports', range: '^1.0.0', state: 'active' }],
    });
    const refused = await call(a, 'DELETE', '/api/plugins/core');
    expect(refused.statusCode).toBe(409);
    expect(refused.json().error).toMatchObject({
      message: 'Plugin "reports" depends on "core" and will stop working; remove it with ?confirm=true to go ahead',
      details: { dependants: [{ name: 'reports' }] },
    });
    expect((await stateOf(a, 'core')).state).toBe('active');

    expect((await call(a, 'DELETE', '/api/plugins/core?confirm=true')).statusCode).toBe(200);
    expect(await stateOf(a, 'reports')).toMatchObject({
      state: 'incompatible',
      reason: 'needs plugin "core" ^1.0.0, which is not installed',
    });

    expect((await postZip(a, '/api/plugins/install', pluginZip('core'))).statusCode).toBe(201);
    expect((await stateOf(a, 'reports')).state).toBe('active');
  });

  test('a global disable asks for confirmation; once confirmed the dependant is inactive naming it; enabling brings it back', async () => {
    const a = await withDependant();
    const refused = await call(a, 'POST', '/api/plugins/core/disable');
    expect(refused.statusCode).toBe(409);
    expect(refused.json().error.message).toContain('disable it with ?confirm=true');
    expect((await stateOf(a, 'core')).state).toBe('active');

    const disabled = await call(a, 'POST', '/api/plugins/core/disable?confirm=true');
    expect(disabled.statusCode, disabled.body).toBe(200);
    expect(disabled.json().state).toBe('disabled');
    expect(await stateOf(a, 'reports')).toMatchObject({
      state: 'incompatible',
      reason: 'needs plugin "core", which is disabled',
    });
    const audit = (await call(a, 'GET', '/api/audit')).json().entries[0];
    expect(audit).toMatchObject({ action: 'plugin.disable', target: 'core', details: { dependants: ['reports'] } });

    expect((await call(a, 'POST', '/api/plugins/core/enable')).statusCode).toBe(200);
    expect((await stateOf(a, 'reports')).state).toBe('active');
  });

  test('a bulk disable and the default switch need the same confirmation as a disable', async () => {
    const a = await withDependant();
    const bulk = { action: 'disable', plugins: [{ name: 'core' }, { name: 'reports' }] };
    const refused = (await call(a, 'POST', '/api/plugins/bulk', bulk)).json().results;
    expect(refused[0]).toMatchObject({ name: 'core', ok: false, error: { code: 'conflict' } });
    expect(refused[1]).toEqual({ name: 'reports', ok: true });
    expect((await stateOf(a, 'core')).state).toBe('active');
    expect((await call(a, 'PUT', '/api/plugins/core/default', { enabled: false })).statusCode).toBe(409);

    const confirmed = (await call(a, 'POST', '/api/plugins/bulk', { ...bulk, confirm: true })).json().results;
    expect(confirmed.map((r: { ok: boolean }) => r.ok)).toEqual([true, true]);
    expect((await stateOf(a, 'core')).state).toBe('disabled');
  });

  test('a plugin nothing depends on is removed and disabled without confirmation', async () => {
    const a = await withDependant();
    expect((await call(a, 'POST', '/api/plugins/reports/disable')).statusCode).toBe(200);
    expect((await call(a, 'DELETE', '/api/plugins/reports')).statusCode).toBe(200);
  });
});
