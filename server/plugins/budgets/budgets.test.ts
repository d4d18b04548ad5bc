import { chmodSync, cpSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test, vi } from 'vitest';
import type { AdminNoticeList, PluginBudgetStatus } from '../../../shared/plugin-budgets.schema.ts';
import type { AuditPage } from '../../../shared/installation.schema.ts';
import type { PluginSummary } from '../../../shared/api.schema.ts';
import { createSandboxFeature } from '../../sandbox/feature.ts';
import { callExt, eventually } from '../../sandbox/testing.ts';
import { startTestApp, type TestApp } from '../../testing/test-app.ts';
import { createPluginMetricsFeature } from '../metrics/feature.ts';
import { createBudgetsFeature } from './feature.ts';

const FIXTURES = path.resolve(import.meta.dirname, '../../../e2e/fixtures/budget-plugins');

/** An app whose `always-fails` plugin runs under a budget judged over 1 s of 100 ms points, from 3 calls on. */
function startApp(env: Record<string, string> = {}) {
  return startTestApp({
    env: {
      PLUGIN_AUTO_APPROVE: 'extend-api',
      PLUGIN_METRICS_INTERVAL_MS: '100',
      PLUGIN_BUDGET_WINDOW_S: '1',
      PLUGIN_BUDGET_MIN_CALLS: '3',
      ...env,
    },
    features: [createSandboxFeature(), createPluginMetricsFeature(), createBudgetsFeature()],
    prepare(dir) {
      chmodSync(dir, 0o755);
      cpSync(path.join(FIXTURES, 'always-fails'), path.join(dir, 'plugins', 'always-fails'), { recursive: true });
    },
  });
}

async function get<T>(app: TestApp, url: string, cookie = app.adminCookie): Promise<T> {
  const response = await app.server.inject({ url, headers: { cookie } });
  expect(response.statusCode, response.body).toBe(200);
  return response.json() as T;
}

const pluginOf = (app: TestApp) => get<PluginSummary>(app, '/api/plugins/always-fails');

/** Calls the failing route until `done` answers something, as users of a broken plugin would. */
async function failUntil<T>(app: TestApp, what: string, done: () => Promise<T | undefined>): Promise<T> {
  return eventually(
    what,
    async () => {
      await callExt(app, '/api/ext/always-fails/fail');
      return done();
    },
    20_000,
  );
}

describe('a plugin that fails until its budget trips', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startApp();
    await eventually('the backend', async () =>
      (await callExt(app, '/api/ext/always-fails/ok')).statusCode === 200 ? true : undefined,
    );
  }, 30_000);
  afterAll(() => app?.close());

  test('is disabled automatically with the reason, an audit entry and a notice; an admin enables it again', async () => {
    const failing = await callExt(app, '/api/ext/always-fails/fail');
    expect(failing.statusCode).toBe(502);
    expect((await pluginOf(app)).state).toBe('active');

    const disabled = await failUntil(app, 'the automatic disable', async () => {
      const plugin = await pluginOf(app);
      return plugin.state === 'disabled' ? plugin : undefined;
    });
    // Nearly every call failed: the window may still hold the readiness check's success.
    expect(disabled.reason).toMatch(/^Disabled automatically: error rate (9\d|100)% over the last 1 s, budget 50%$/);
    const reason = disabled.reason!.replace('Disabled automatically: ', '');
    expect(disabled.enabledWorkspaces).toEqual([]);
    expect(disabled.enablement.global).toBe(false);
    expect((await callExt(app, '/api/ext/always-fails/ok')).statusCode).toBe(404);

    const audit = await get<AuditPage>(app, '/api/audit?action=plugin.auto-disable');
    expect(audit.entries).toHaveLength(1);
    expect(audit.entries[0]).toMatchObject({ actorName: null, target: 'always-fails', details: { reason } });

    const { notices } = await get<AdminNoticeList>(app, '/api/notices');
    expect(notices).toHaveLength(1);
    expect(notices[0]).toMatchObject({
      kind: 'plugin-auto-disabled',
      plugin: 'always-fails',
      message: `Plugin "always-fails" was disabled automatically: ${reason}.`,
    });

    const budget = await get<PluginBudgetStatus>(app, '/api/plugins/always-fails/budget');
    expect(budget.autoDisabled?.reason).toBe(reason);

    const enable = await app.server.inject({
      method: 'POST',
      url: '/api/plugins/always-fails/enable',
      headers: { cookie: app.adminCookie },
    });
    expect(enable.statusCode).toBe(200);
    // Switched on again, no longer over budget: its backend is starting or already up (honest state), and the
    // automatic disable's reason is gone.
    const enabled = enable.json() as PluginSummary;
    expect(enabled.enabledWorkspaces).toEqual(['default']);
    expect(['loading', 'active']).toContain(enabled.state);
    expect(enabled.reason ?? 'its backend is starting').toBe('its backend is starting');
    expect(app.plugins.get('always-fails')).toMatchObject({ state: 'active' });
    const fresh = await get<PluginBudgetStatus>(app, '/api/plugins/always-fails/budget');
    expect(fresh).toMatchObject({ autoDisabled: null, breaches: [], overBudgetSince: null });
    await eventually('the backend again', async () =>
      (await callExt(app, '/api/ext/always-fails/ok')).statusCode === 200 ? true : undefined,
    );

    const dismiss = (id: string) =>
      app.server.inject({ method: 'POST', url: `/api/notices/${id}/dismiss`, headers: { cookie: app.adminCookie } });
    expect((await dismiss(notices[0]!.id)).statusCode).toBe(204);
    expect((await get<AdminNoticeList>(app, '/api/notices')).notices).toEqual([]);
    const again = await dismiss(notices[0]!.id);
    expect(again.statusCode).toBe(404);
    expect(again.json().error.code).toBe('notice_not_found');
    const dismissed = await get<AuditPage>(app, '/api/audit?action=notice.dismiss');
    expect(dismissed.entries[0]).toMatchObject({ actorName: 'admin', target: 'always-fails' });
  }, 40_000);

  test('an admin overrides figures of the budget, resets them, and is told what is wrong', async () => {
    const put = (payload: unknown) =>
      app.server.inject({
        method: 'PUT',
        url: '/api/plugins/always-fails/budget',
        headers: { cookie: app.adminCookie },
        payload: payload as object,
      });
    const changed = await put({ errorRate: 0.9, restarts: 10 });
    expect(changed.statusCode).toBe(200);
    expect(changed.json()).toMatchObject({
      overrides: { errorRate: 0.9, p95Ms: null, restarts: 10 },
      effective: { errorRate: 0.9, p95Ms: 2000, restarts: 10, minCalls: 3, windowMs: 1000, autoDisable: true },
      defaults: { errorRate: 0.5, restarts: 5 },
    });
    const reset = await put({ errorRate: null });
    expect(reset.json()).toMatchObject({ overrides: { errorRate: null, restarts: 10 }, effective: { errorRate: 0.5 } });

    const bad = await put({ errorRate: 2, p95Ms: 'fast', extra: true });
    expect(bad.statusCode).toBe(400);
    const message: string = bad.json().error.message;
    expect(message).toContain('errorRate');
    expect(message).toContain('p95Ms');
    expect(message).toContain('extra');
    expect((await get<PluginBudgetStatus>(app, '/api/plugins/always-fails/budget')).overrides.restarts).toBe(10);

    const audit = await get<AuditPage>(app, '/api/audit?action=plugin.budget');
    expect(audit.entries.map((e) => e.details)).toEqual([
      { errorRate: null, p95Ms: null, restarts: 10 },
      { errorRate: 0.9, p95Ms: null, restarts: 10 },
    ]);
    expect(
      (await app.server.inject({ url: '/api/plugins/nope/budget', headers: { cookie: app.adminCookie } })).statusCode,
    ).toBe(404);
  });

  test('budgets and notices are for instance admins only', async () => {
    const viewer = await app.userWithRoles('vera', { default: 'viewer' });
    for (const url of ['/api/notices', '/api/plugins/always-fails/budget']) {
      expect((await app.server.inject({ url, headers: { cookie: viewer } })).statusCode).toBe(403);
      expect((await app.server.inject({ url })).statusCode).toBe(401);
    }
  });
});

describe('with automatic disable off', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startApp({ PLUGIN_BUDGET_AUTO_DISABLE: 'false' });
  }, 30_000);
  afterAll(() => app?.close());

  test('a plugin over budget keeps running and admins get one notice', async () => {
    const published = vi.spyOn(app.context.events, 'publish');
    const notices = await failUntil(app, 'a notice', async () => {
      const list = await get<AdminNoticeList>(app, '/api/notices');
      return list.notices.length > 0 ? list.notices : undefined;
    });
    expect(notices).toEqual([
      expect.objectContaining({
        kind: 'plugin-over-budget',
        message: expect.stringMatching(
          /^Plugin "always-fails" is over its budget: error rate (9\d|100)% over the last 1 s, budget 50%\. Automatic disable is off, so it keeps running\.$/,
        ),
      }),
    ]);
    const plugin = await pluginOf(app);
    expect(plugin.state).toBe('active');
    expect(plugin.reason).toBeUndefined();
    const budget = await get<PluginBudgetStatus>(app, '/api/plugins/always-fails/budget');
    expect(budget.breaches.map((b) => b.figure)).toEqual(['errorRate']);
    expect(budget.overBudgetSince).not.toBeNull();
    expect((await get<AuditPage>(app, '/api/audit?action=plugin.auto-disable')).entries).toEqual([]);
    // Nothing changed in the registry, so open admin shells learn of the notice from its own event.
    expect(published).toHaveBeenCalledWith(expect.objectContaining({ type: 'notices-changed' }));
  }, 40_000);
});
