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

  test('a viewer cannot post for a plugin not active in their workspaces: 403 naming it, nothing recorded', async () => {
    app = await startTestApp({
      workspaces: [{ name: 'default' }, { name: 'other' }],
      prepare(dir) {
        for (const name of ['mine', 'elsewhere', 'switched-off']) {
          mkdirSync(path.join(dir, 'plugins', name), { recursive: true });
          writeFileSync(path.join(dir, 'plugins', name, 'manifest.json'), JSON.stringify(testManifest(name)));
        }
      },
    });
    const admin = { cookie: app.adminCookie };
    const onlyIn = async (plugin: string, workspace: string, enabled: boolean) =>
      expect(
        (
          await app!.server.inject({
            method: 'PUT',
            url: `/api/plugins/${plugin}/workspaces/${workspace}`,
            headers: admin,
            payload: { enabled },
          })
        ).statusCode,
      ).toBe(200);
    await onlyIn('elsewhere', 'default', false);
    await onlyIn('switched-off', 'default', false);
    await onlyIn('switched-off', 'other', false);
    const viewer = await app.userWithRoles('viewer', { default: 'viewer' });
    const post = (events: unknown[]) =>
      app!.server.inject({
        method: 'POST',
        url: '/api/plugins/telemetry',
        headers: { cookie: viewer },
        payload: { events },
      });
    const stats = async (plugin: string) =>
      (await app!.server.inject({ url: `/api/plugins/${plugin}/frontend-stats`, headers: admin })).json();

    for (const other of ['elsewhere', 'switched-off', 'not-installed']) {
      const refused = await post([
        { plugin: 'mine', kind: 'load', ms: 10 },
        { plugin: other, kind: 'load-error', message: 'forged' },
      ]);
      expect(refused.statusCode).toBe(403);
      expect(refused.json()).toEqual({
        error: {
          code: 'forbidden',
          message: `Telemetry is accepted only for plugins active in your workspaces; not for ${other}`,
          details: { plugins: [other] },
        },
      });
    }
    expect(await stats('mine')).toMatchObject({ loads: 0 });
    expect(await stats('elsewhere')).toMatchObject({ loads: 0, loadErrors: 0, lastError: null });

    expect((await post([{ plugin: 'mine', kind: 'load', ms: 10 }])).statusCode).toBe(204);
    expect(await stats('mine')).toMatchObject({ loads: 1 });
  });
});
