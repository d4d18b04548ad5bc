import { cpSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Run, RunList } from '@dbt-workbench/plugin-sdk/contracts/runs.schema';
import type { PluginTriggerList } from '../../shared/plugin-triggers.schema.ts';
import { runsFeature } from '../runs/feature.ts';
import { createRunService } from '../runs/service.ts';
import { waitFor } from '../runs/testing.ts';
import { createSandboxFeature } from '../sandbox/feature.ts';
import { approve, eventually, withFixtures } from '../sandbox/testing.ts';
import { createSqlService } from '../sql/service.ts';
import { createSqlFeature } from '../sql/feature.ts';
import { startTestApp, type TestApp } from '../testing/test-app.ts';
import { schedulesFeature } from './feature.ts';
import { decisionOf } from './plugin-triggers.ts';

// Scheduler triggers from plugins (SPEC 4.5), with the example plugin plugins/run-triggers in its sandboxed backend
// and the real runs service: `marts` runs after `staging` succeeded, and each workspace has a deploy webhook.

const PLUGIN = path.resolve(import.meta.dirname, '../../plugins/run-triggers');
const MIN_INTERVAL_MS = 1500;
let app: TestApp;
let viewer: string;

const as = (cookie: string) => ({ cookie });
const get = async <T>(url: string, cookie = app.adminCookie) =>
  (await app.server.inject({ url, headers: as(cookie) })).json() as T;
const runsOf = async (workspace: string) => (await get<RunList>(`/api/workspaces/${workspace}/runs`)).runs;
const triggersOf = async (workspace: string, cookie = app.adminCookie) =>
  (await get<PluginTriggerList>(`/api/workspaces/${workspace}/schedules/triggers`, cookie)).triggers;
const ended = (workspace: string, id: string) =>
  waitFor(async () => {
    const run = await get<Run>(`/api/workspaces/${workspace}/runs/${id}`);
    return run.finishedAt ? run : undefined;
  });
async function runStaging(): Promise<Run> {
  const started = await app.server.inject({
    method: 'POST',
    url: '/api/workspaces/staging/runs',
    headers: as(app.adminCookie),
  });
  expect(started.statusCode).toBe(201);
  return ended('staging', (started.json() as Run).id);
}
const webhook = (url: string, token: string, body: unknown) =>
  app.server.inject({ method: 'POST', url, headers: { 'x-workbench-trigger-token': token }, payload: body as object });
const setEnabled = (workspace: string, enabled: boolean) =>
  app.server.inject({
    method: 'PUT',
    url: `/api/plugins/run-triggers/workspaces/${workspace}`,
    headers: as(app.adminCookie),
    payload: { enabled },
  });

beforeAll(async () => {
  const runs = createRunService({ graceMs: 200 });
  const schedules = schedulesFeature(runs);
  const sql = createSqlService();
  app = await startTestApp({
    env: { PLUGIN_TRIGGER_MIN_INTERVAL_MS: String(MIN_INTERVAL_MS) },
    workspaces: [
      { name: 'staging', runCommand: ['/bin/true'] },
      { name: 'marts', runCommand: ['/bin/sh', '-c', 'sleep 0.3'] },
    ],
    features: [
      runsFeature(runs),
      schedules,
      createSqlFeature(sql),
      createSandboxFeature({ runs, scheduler: schedules, sql }),
    ],
    prepare: (dir) => {
      withFixtures()(dir);
      cpSync(PLUGIN, path.join(dir, 'plugins', 'run-triggers'), { recursive: true });
    },
  });
  viewer = await app.userWithRoles('val', { staging: 'viewer', marts: 'viewer' });
  const configured = await app.server.inject({
    method: 'PUT',
    url: '/api/plugins/run-triggers/config/workspaces/marts',
    headers: as(app.adminCookie),
    payload: { config: { after: 'staging' } },
  });
  expect(configured.statusCode, configured.body).toBe(200);
  await approve(app, 'run-triggers');
  await eventually('the triggers to be registered', async () =>
    (await triggersOf('marts')).length === 2 ? true : undefined,
  );
}, 60_000);
afterAll(() => app?.close());

describe('a plugin adds scheduler triggers that start runs through the runs service', () => {
  test('the Schedules page lists them with the plugin named; only developers get the webhook token', async () => {
    const marts = await triggersOf('marts');
    expect(marts.map((t) => [t.id, t.plugin, t.title, t.when])).toEqual([
      [
        'run-triggers.after-staging',
        'run-triggers',
        'After staging succeeds',
        { kind: 'after-run', upstream: 'staging' },
      ],
      ['run-triggers.deploy', 'run-triggers', 'Deploy webhook', { kind: 'webhook' }],
    ]);
    expect(marts[1]!.webhook).toEqual({
      url: '/api/triggers/run-triggers/marts/deploy/webhook',
      token: expect.any(String),
    });
    const [stagingDeploy] = await triggersOf('staging');
    expect(stagingDeploy!.webhook!.token).not.toBe(marts[1]!.webhook!.token);
    expect((await triggersOf('marts', viewer)).every((t) => t.webhook === undefined)).toBe(true);
    expect((await triggersOf('staging')).map((t) => t.name)).toEqual(['deploy']);
  });

  test('a staging run that succeeded starts a marts run, audited; one soon after is rate limited', async () => {
    const before = (await runsOf('marts')).length;
    const upstream = await runStaging();
    expect(upstream.status).toBe('success');
    const run = await waitFor(async () => {
      const runs = await runsOf('marts');
      return runs.length > before ? runs[0] : undefined;
    });
    expect(run).toMatchObject({
      trigger: 'plugin',
      pluginTrigger: { plugin: 'run-triggers', name: 'after-staging' },
      triggeredBy: null,
      schedule: null,
    });
    // The run is queued first, then the audit entry naming it is written: wait for that entry too.
    const entry = await waitFor(async () => {
      const audit = await get<{ entries: { action: string; target: string; workspace: string; details: unknown }[] }>(
        '/api/audit?action=trigger.run',
      );
      return audit.entries[0];
    });
    expect(entry).toMatchObject({
      target: 'run-triggers.after-staging',
      workspace: 'marts',
      details: { run: run!.id, kind: 'after-run', reason: `run ${upstream.id.slice(0, 8)} of staging succeeded` },
    });

    await runStaging();
    await waitFor(async () => ((await triggersOf('marts'))[0]!.skipped === 1 ? true : undefined));
    const [after] = await triggersOf('marts');
    expect(after).toMatchObject({ runsStarted: 1, lastRun: { id: run!.id } });
    expect(after!.lastSkip!.reason).toMatch(/^(rate limited: one run per 1.5 s|its previous run has not ended)/);
    expect((await runsOf('marts')).length).toBe(before + 1);
  });

  test('the deploy webhook: a wrong token is a 404, another branch no run, the deploy branch a run', async () => {
    const [, deploy] = await triggersOf('marts');
    const { url, token } = deploy!.webhook!;
    const wrong = await webhook(url, `${token.slice(0, -2)}xx`, { ref: 'main' });
    expect(wrong.statusCode).toBe(404);
    expect(
      (await webhook('/api/triggers/run-triggers/staging/deploy/webhook', token, { ref: 'main' })).statusCode,
    ).toBe(404);
    const other = await webhook(url, token, { ref: 'refs/heads/feature' });
    expect(other.statusCode).toBe(200);
    expect(other.json()).toEqual({ started: false, reason: 'feature is not the deploy branch main' });
    const main = await webhook(url, token, { ref: 'refs/heads/main' });
    expect(main.statusCode, main.body).toBe(202);
    const { runId } = main.json() as { runId: string };
    expect(await get<Run>(`/api/workspaces/marts/runs/${runId}`)).toMatchObject({
      trigger: 'plugin',
      pluginTrigger: { plugin: 'run-triggers', name: 'deploy' },
    });
    await ended('marts', runId);
  });

  test('off in marts, its triggers there go: not listed, the webhook a 404, no run after staging', async () => {
    const [, deploy] = await triggersOf('marts');
    const { url, token } = deploy!.webhook!;
    expect((await setEnabled('marts', false)).statusCode).toBe(200);
    await eventually('the marts triggers to go', async () =>
      (await triggersOf('marts')).length === 0 ? true : undefined,
    );
    expect((await webhook(url, token, { ref: 'main' })).statusCode).toBe(404);
    const before = (await runsOf('marts')).length;
    await new Promise((resolve) => setTimeout(resolve, MIN_INTERVAL_MS));
    await runStaging();
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect((await runsOf('marts')).length).toBe(before);
    expect((await triggersOf('staging')).map((t) => t.name)).toEqual(['deploy']);
  });

  test('disabled everywhere, the plugin has no trigger left', async () => {
    const off = await app.server.inject({
      method: 'POST',
      url: '/api/plugins/run-triggers/disable',
      headers: as(app.adminCookie),
    });
    expect(off.statusCode, off.body).toBe(200);
    await eventually('the staging triggers to go', async () =>
      (await triggersOf('staging')).length === 0 ? true : undefined,
    );
  });
});

test('a check answering false or {run: false} starts nothing; true, nothing or {run: true} does', () => {
  expect(decisionOf(false)).toEqual({ run: false, reason: null });
  expect(decisionOf({ run: false, reason: 'fresh' })).toEqual({ run: false, reason: 'fresh' });
  expect(decisionOf(undefined)).toEqual({ run: true, reason: null });
  expect(decisionOf(true)).toEqual({ run: true, reason: null });
  expect(decisionOf({ run: true, reason: 'x'.repeat(600) }).reason).toHaveLength(500);
});
