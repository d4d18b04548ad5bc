import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startTestApp, type TestApp } from '../testing/test-app.ts';
import { createSandboxFeature } from './feature.ts';
import { approve, callExt, diagnosticsOf, eventually, withFixtures } from './testing.ts';

// With the OS layers off (as on a server not running as root), what still holds is reported and still contains.
describe('without the OS layers', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp({
      env: { PLUGIN_SANDBOX_OS_LAYERS: 'false' },
      features: [createSandboxFeature()],
      prepare: withFixtures('signals-server', 'reads-server-environ'),
    });
    await approve(app, 'signals-server');
    await approve(app, 'reads-server-environ');
    await eventually('active', async () =>
      (await diagnosticsOf(app, 'signals-server')).state === 'active' ? true : undefined,
    );
  }, 30_000);
  afterAll(() => app?.close());

  test('diagnostics say which layers hold and why the others do not', async () => {
    const layers = Object.fromEntries((await diagnosticsOf(app, 'signals-server')).layers.map((l) => [l.layer, l]));
    expect(layers['permission-model']).toMatchObject({ active: true });
    expect(layers['signal-guard']).toMatchObject({ active: true });
    expect(layers['user-id']).toMatchObject({ active: false, detail: 'off: turned off for this server' });
    expect(layers['network-namespace']).toMatchObject({ active: false });
    expect(layers['memory-cgroup']).toMatchObject({ active: false });
    expect(layers['call-deadline']).toMatchObject({ active: true, detail: '5000 ms per call, then killed' });
  });

  test("the server's process still cannot be signalled, nor its environment read", async () => {
    const kill = await callExt(app, '/api/ext/signals-server/kill');
    expect(kill.statusCode).toBe(502);
    expect(kill.json().error.message).toMatch(/may not signal process/);
    await eventually('active again', async () =>
      (await diagnosticsOf(app, 'reads-server-environ')).state === 'active' ? true : undefined,
    );
    expect((await callExt(app, '/api/ext/reads-server-environ/environ')).statusCode).toBe(502);
    expect((await app.server.inject({ url: '/api/auth/me', headers: { cookie: app.adminCookie } })).statusCode).toBe(
      200,
    );
  });
});
