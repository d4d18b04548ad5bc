import { afterEach, describe, expect, test } from 'vitest';
import { startTestApp, type TestApp } from '../testing/test-app.ts';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { testManifest } from '../../shared/testing/manifests.ts';
import { createFrontendTelemetry } from './frontend-telemetry.ts';

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
    // An instance admin belongs to no workspace explicitly, yet reaches (and sees plugins in) every one.
    const instanceAdmin = await app.userWithRoles('second-admin', {}, true);
    const fromAdmin = await app.server.inject({
      method: 'POST',
      url: '/api/plugins/telemetry',
      headers: { cookie: instanceAdmin },
      payload: { events: [{ plugin: 'elsewhere', kind: 'load', ms: 10 }] },
    });
    expect(fromAdmin.statusCode, fromAdmin.body).toBe(204);
  });
});

describe('what the host end of an isolated bridge refused', () => {
  test('refused calls, floods and unresponsive frames are counted apart; the last error is the newest of any kind', async () => {
    let clock = Date.parse('2026-01-01T00:00:00Z');
    const telemetry = createFrontendTelemetry(() => new Date((clock += 1000)));
    telemetry.record({ plugin: 'probe', kind: 'render-error', message: 'boom' });
    telemetry.record({ plugin: 'probe', kind: 'bridge-refused', message: 'data.sql: needs access-sql-workspace' });
    telemetry.record({ plugin: 'probe', kind: 'bridge-refused', message: 'storage.get: not enabled here' });
    telemetry.record({ plugin: 'probe', kind: 'bridge-flood', message: '5,000 calls in one second' });
    telemetry.record({ plugin: 'probe', kind: 'frame-unresponsive', message: 'missed 3 heartbeats' });
    expect(telemetry.stats('probe')).toMatchObject({
      loadErrors: 0,
      renderErrors: 1,
      refusedCalls: 2,
      bridgeFloods: 1,
      unresponsiveFrames: 1,
      lastError: { kind: 'frame-unresponsive', message: 'missed 3 heartbeats', at: '2026-01-01T00:00:05.000Z' },
    });
    // The cost history counts what users saw fail (the render error, the torn-down frame), not refused calls.
    expect(telemetry.takeWindow('probe').errors).toBe(2);
    expect(telemetry.stats('other')).toMatchObject({ refusedCalls: 0, bridgeFloods: 0, unresponsiveFrames: 0 });
  });

  test('a shell reports them over the API; an unknown kind is a 400 that records nothing', async () => {
    app = await startTestApp({
      prepare(dir) {
        mkdirSync(path.join(dir, 'plugins', 'probe'), { recursive: true });
        writeFileSync(path.join(dir, 'plugins', 'probe', 'manifest.json'), JSON.stringify(testManifest('probe')));
      },
    });
    const viewer = await app.userWithRoles('viewer', { default: 'viewer' });
    const post = (events: unknown[]) =>
      app!.server.inject({
        method: 'POST',
        url: '/api/plugins/telemetry',
        headers: { cookie: viewer },
        payload: { events },
      });
    expect(
      (
        await post([
          { plugin: 'probe', kind: 'bridge-refused', message: 'sdk.data.sql refused: needs access-sql-workspace' },
          { plugin: 'probe', kind: 'bridge-flood', message: '1,200 calls in a second' },
        ])
      ).statusCode,
    ).toBe(204);
    expect((await post([{ plugin: 'probe', kind: 'bridge-hijack', message: 'x' }])).statusCode).toBe(400);
    const stats = (
      await app.server.inject({ url: '/api/plugins/probe/frontend-stats', headers: { cookie: app.adminCookie } })
    ).json();
    expect(stats).toMatchObject({
      refusedCalls: 1,
      bridgeFloods: 1,
      unresponsiveFrames: 0,
      lastError: { kind: 'bridge-flood', message: '1,200 calls in a second' },
    });
  });
});
