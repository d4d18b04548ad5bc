import { afterEach, describe, expect, test } from 'vitest';
import { startTestApp, type TestApp } from '../testing/test-app.ts';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { testManifest } from '../../shared/testing/manifests.ts';

let app: TestApp | undefined;
afterEach(async () => {
  await app?.close();
  app = undefined;
});

describe('frontend telemetry', () => {
  test('shells report loads and failures per plugin; admins read the figures', async () => {
    app = await startTestApp({
      prepare(dir) {
        mkdirSync(path.join(dir, 'plugins', 'watched'), { recursive: true });
        writeFileSync(path.join(dir, 'plugins', 'watched', 'manifest.json'), JSON.stringify(testManifest('watched')));
      },
    });
    const viewer = await app.userWithRoles('viewer', { default: 'viewer' });
    const events = [
      ...[10, 20, 30, 40].map((ms) => ({ plugin: 'watched', kind: 'load', ms })),
      { plugin: 'watched', kind: 'render-error', message: 'boom' },
      { plugin: 'not-installed', kind: 'load', ms: 5 },
    ];
    const posted = await app.server.inject({
      method: 'POST',
      url: '/api/plugins/telemetry',
      headers: { cookie: viewer },
      payload: { events },
    });
    expect(posted.statusCode).toBe(204);

    const stats = (
      await app.server.inject({ url: '/api/plugins/watched/frontend-stats', headers: { cookie: app.adminCookie } })
    ).json();
    expect(stats).toMatchObject({
      loads: 4,
      loadP50Ms: 20,
      loadP95Ms: 40,
      loadErrors: 0,
      renderErrors: 1,
      lastError: { kind: 'render-error', message: 'boom' },
    });
    expect(
      (await app.server.inject({ url: '/api/plugins/watched/frontend-stats', headers: { cookie: viewer } })).statusCode,
    ).toBe(403);
    const bad = await app.server.inject({
      method: 'POST',
      url: '/api/plugins/telemetry',
      headers: { cookie: viewer },
      payload: { events: [{ plugin: 'watched', kind: 'nonsense' }] },
    });
    expect(bad.statusCode).toBe(400);
  });
});
