import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { badgesOf, summarize, type RunDigest } from '../../plugins/run-digest/backend/digest.ts';
import type { ScheduleHealth, WorkspaceHealth } from '../../plugins/run-digest/backend/store.ts';
import { createCatalogFeature } from '../catalog/feature.ts';
import { createCatalogService } from '../catalog/service.ts';
import { copyArtifacts, datasetDir } from '../catalog/test-data.ts';
import { catalogIndexSource } from '../lineage/catalog-source.ts';
import { createLineageFeature } from '../lineage/feature.ts';
import { createLineageService } from '../lineage/service.ts';
import { runEnvironment } from '../runs/child.ts';
import { runsFeature } from '../runs/feature.ts';
import { createRunService } from '../runs/service.ts';
import { SIMULATOR } from '../runs/testing.ts';
import { schedulesFeature } from '../schedules/feature.ts';
import { startTestApp, type TestApp } from '../testing/test-app.ts';
import { createSandboxFeature } from './feature.ts';
import { approve, callExt, eventually, withFixtures } from './testing.ts';

// The example plugin plugins/run-digest in a server with the real catalog, lineage, runs and schedules:
// run hooks, a scheduler hook, lifecycle events, a lineage overlay, its configuration and its API route.
//   shop  runs the dbt simulator, which succeeds
//   ops   runs it with DBT_SIMULATE_FAIL=stg_customers: stg_customers errors, what is downstream skips
//   idle  runs /bin/true (no run_results.json of its own) and starts with an older run_results.json in target/

const PLUGIN = path.resolve(import.meta.dirname, '../../plugins/run-digest');
const simulate = (...env: string[]) => ['/usr/bin/env', ...env, process.execPath, SIMULATOR, 'build'];

interface Digests {
  workspace: string;
  settings: { slowest: number; keep: number; badgeSkipped: boolean };
  health: WorkspaceHealth | null;
  schedules: ScheduleHealth[];
  digests: RunDigest[];
}
interface Overlay {
  nodeBadges: { nodeId: string; label: string; tone: string; title?: string }[];
  annotations: { text: string }[];
}

/** A run_results.json as dbt writes it (run-results v6). */
function runResults(invocation: string, generatedAt: string, results: [string, string, number, string][]) {
  return {
    metadata: {
      dbt_schema_version: 'https://schemas.getdbt.com/dbt/run-results/v6.json',
      dbt_version: '1.9.0',
      generated_at: generatedAt,
      invocation_id: invocation,
    },
    elapsed_time: 12.5,
    results: results.map(([uniqueId, status, seconds, message]) => ({
      unique_id: uniqueId,
      status,
      execution_time: seconds,
      message,
      timing: [],
      thread_id: 'Thread-1',
      adapter_response: {},
      failures: status === 'fail' ? 3 : null,
    })),
  };
}

const CUSTOMERS = 'model.jaffle_shop.customers';
const STG_CUSTOMERS = 'model.jaffle_shop.stg_customers';
/** From CI, before the server started: a model ran, one test on it failed. */
const olderResults = runResults('inv-from-ci', '2025-01-02T03:04:05.000Z', [
  [CUSTOMERS, 'success', 9.25, 'OK'],
  [
    'test.jaffle_shop.not_null_customers_customer_id.5c9bf9911d',
    'fail',
    0.5,
    'Got 3 results, configured to fail if != 0',
  ],
]);

let app: TestApp;
const catalog = createCatalogService({ watch: false });

beforeAll(async () => {
  const lineage = createLineageService({ source: catalogIndexSource(catalog) });
  const runs = createRunService({ graceMs: 200, env: { ...runEnvironment(), DBT_SIMULATE_DELAY_MS: '1' } });
  const schedules = schedulesFeature(runs);
  app = await startTestApp({
    workspaces: [
      { name: 'shop', runCommand: simulate() },
      { name: 'ops', runCommand: simulate('DBT_SIMULATE_FAIL=stg_customers') },
      { name: 'idle', runCommand: ['/bin/true'] },
    ],
    features: [
      createCatalogFeature(catalog),
      createLineageFeature(lineage),
      runsFeature(runs),
      schedules,
      createSandboxFeature({ catalog, lineage, runs, scheduler: schedules }),
    ],
    prepare: (dir) => {
      withFixtures()(dir);
      // The backend only: its frontend is built by `npm run build`, which these tests do not need.
      const copy = path.join(dir, 'plugins', 'run-digest');
      cpSync(PLUGIN, copy, { recursive: true, filter: (source) => !source.includes(`${path.sep}frontend`) });
      const { frontend: _, ...manifest } = JSON.parse(readFileSync(path.join(copy, 'manifest.json'), 'utf8'));
      writeFileSync(path.join(copy, 'manifest.json'), JSON.stringify(manifest));
      for (const name of ['shop', 'ops', 'idle'])
        copyArtifacts('classic', path.join(dir, 'workspaces', name, 'target'));
      writeFileSync(path.join(dir, 'workspaces', 'idle', 'target', 'run_results.json'), JSON.stringify(olderResults));
    },
  });
  await approve(app, 'run-digest');
  await eventually('run-digest active', async () =>
    (await callExt(app, '/api/ext/run-digest/digests', { workspace: 'shop' })).statusCode === 200 ? true : undefined,
  );
}, 30_000);
afterAll(() => app?.close());

const get = async <T>(url: string, cookie = app.adminCookie): Promise<T> =>
  (await app.server.inject({ url, headers: { cookie } })).json() as T;
const digests = async (workspace: string, run?: string) =>
  (await callExt(app, `/api/ext/run-digest/digests${run ? `?run=${run}` : ''}`, { workspace })).json() as Digests;
const overlay = async (workspace: string) =>
  (await get<{ overlays: Record<string, Overlay> }>(`/api/workspaces/${workspace}/lineage`)).overlays['run-digest'];

/** Starts a run as the admin and waits for its digest. */
async function runAndDigest(workspace: string): Promise<RunDigest> {
  const started = await app.server.inject({
    method: 'POST',
    url: `/api/workspaces/${workspace}/runs`,
    headers: { cookie: app.adminCookie },
  });
  const run = started.json() as { id: string };
  return eventually(`the digest of run ${run.id}`, async () => (await digests(workspace, run.id)).digests[0], 15_000);
}

describe('run-digest: run hooks, lifecycle events and a lineage overlay from a sandboxed backend', () => {
  test('on activation it sums up the run_results.json already in target/, badging the model a failed test tests', async () => {
    const idle = await digests('idle');
    expect(idle.digests).toEqual([
      expect.objectContaining({
        id: 'artifacts:inv-from-ci',
        source: 'artifacts',
        runId: null,
        status: 'failed',
        results: expect.objectContaining({ total: 2, counts: { success: 1, fail: 1 }, elapsedSeconds: 12.5 }),
      }),
    ]);
    const badges = (await overlay('idle'))!.nodeBadges;
    expect(badges).toContainEqual(expect.objectContaining({ nodeId: CUSTOMERS, label: 'test failed', tone: 'bad' }));
    expect(badges.find((b) => b.nodeId === CUSTOMERS)!.title).toMatch(/^not_null_customers_customer_id: Got 3/);
  });

  test('a failed run: runs.onComplete reads its run_results.json; the lineage shows what failed and was skipped', async () => {
    const digest = await runAndDigest('ops');
    expect(digest).toMatchObject({ source: 'run', status: 'failed', trigger: 'manual' });
    const { counts, problems, slowest } = digest.results!;
    expect(counts.error).toBe(1);
    expect(counts.skipped).toBeGreaterThan(1);
    const statusOf = (id: string) => problems.find((p) => p.uniqueId === id)?.status;
    expect([statusOf(STG_CUSTOMERS), statusOf(CUSTOMERS)]).toEqual(['error', 'skipped']);
    expect(problems.find((p) => p.status === 'error')!.message).toMatch(/Simulated failure/);
    // The slowest nodes that ran: at most the configured five, slowest first, none of them failed or a test.
    expect(slowest.length).toBeGreaterThan(0);
    expect(slowest.length).toBeLessThanOrEqual(5);
    expect(slowest.every((n) => n.status === 'success' && n.resourceType !== 'test')).toBe(true);
    expect(slowest.map((n) => n.seconds)).toEqual([...slowest.map((n) => n.seconds)].sort((a, b) => b - a));
    const layer = (await overlay('ops'))!;
    const label = (id: string) => layer.nodeBadges.find((b) => b.nodeId === id)?.label;
    expect(label(STG_CUSTOMERS)).toBe('failed');
    expect(label(CUSTOMERS)).toBe('skipped');
    expect(layer.annotations[0]!.text).toMatch(/^Last run \(.+\): 1 error, \d+ skipped, \d+ success/);
  });

  test('on-run-complete keeps each workspace’s health: failed runs in a row, then a success resets it', async () => {
    const second = await runAndDigest('ops');
    const failing = await eventually('ops health after its second run', async () => {
      const health = (await digests('ops')).health;
      return health?.lastRunId === second.runId ? health : undefined;
    });
    expect(failing).toMatchObject({ failingStreak: 2, lastStatus: 'failed', runs: 2 });
    const ok = await runAndDigest('shop');
    expect(Object.keys(ok.results!.counts).sort()).toEqual(['pass', 'success']);
    const health = await eventually('shop health', async () => {
      const now = (await digests('shop')).health;
      return now?.lastRunId === ok.runId ? now : undefined;
    });
    expect(health).toMatchObject({ failingStreak: 0, lastStatus: 'success', lastRunId: ok.runId });
    expect(health.lastSuccessAt).not.toBeNull();
  });

  test('a run that writes no run_results.json gets a digest that says so instead of an older run’s results', async () => {
    const digest = await runAndDigest('idle');
    expect(digest).toMatchObject({ source: 'run', status: 'success', results: null });
    expect(digest.note).toMatch(/older one \(2025-01-02/);
    // The lineage still shows the last results there are.
    expect((await overlay('idle'))!.nodeBadges.map((b) => b.nodeId)).toContain(CUSTOMERS);
  });

  test('on-artifact-load picks up a dbt invocation made outside the workbench', async () => {
    const target = path.join(app.dir, 'workspaces', 'shop', 'target', 'run_results.json');
    const outside = runResults('inv-terminal', new Date().toISOString(), [[STG_CUSTOMERS, 'error', 1, 'boom']]);
    writeFileSync(target, JSON.stringify(outside));
    await catalog.store('shop')!.reload({ force: true });
    const found = await eventually('the outside digest', async () =>
      (await digests('shop')).digests.find((d) => d.id === 'artifacts:inv-terminal'),
    );
    expect(found).toMatchObject({ source: 'artifacts', status: 'failed', results: { counts: { error: 1 } } });
    expect((await overlay('shop'))!.nodeBadges).toContainEqual(
      expect.objectContaining({ nodeId: STG_CUSTOMERS, label: 'failed' }),
    );
  });

  test('a schedule’s runs reach the scheduler hook: the schedule’s health is kept', async () => {
    const created = await app.server.inject({
      method: 'POST',
      url: '/api/workspaces/ops/schedules',
      headers: { cookie: app.adminCookie },
      payload: { name: 'every second', cron: '* * * * * *' },
    });
    const schedule = created.json() as { id: string };
    const health = await eventually(
      'the schedule health',
      async () => (await digests('ops')).schedules.find((s) => s.id === schedule.id),
      15_000,
    );
    await app.server.inject({
      method: 'DELETE',
      url: `/api/workspaces/ops/schedules/${schedule.id}`,
      headers: { cookie: app.adminCookie },
    });
    expect(health).toMatchObject({ name: 'every second', cron: '* * * * * *', lastStatus: 'failed' });
    expect(health.failingStreak).toBeGreaterThanOrEqual(1);
    const digest = await eventually(
      'the digest of the scheduled run',
      async () => (await digests('ops', health.lastRunId)).digests[0],
    );
    expect(digest).toMatchObject({ trigger: 'schedule', schedule: { id: schedule.id, name: 'every second' } });
  });
});

describe('run-digest: configuration and its route', () => {
  test('host.config.get() follows the admin’s configuration: fewer slow nodes, no badges on skipped nodes', async () => {
    expect((await digests('shop')).settings).toEqual({ slowest: 5, keep: 50, badgeSkipped: true });
    const saved = await app.server.inject({
      method: 'PUT',
      url: '/api/plugins/run-digest/config',
      headers: { cookie: app.adminCookie },
      payload: { config: { slowest: 1, keep: 50, badgeSkipped: false } },
    });
    expect(saved.statusCode).toBe(200);
    await eventually('the new settings', async () =>
      (await digests('shop')).settings.slowest === 1 ? true : undefined,
    );
    const digest = await runAndDigest('shop');
    expect(digest.results!.slowest).toHaveLength(1);
    await runAndDigest('ops');
    const labels = (await overlay('ops'))!.nodeBadges.map((b) => b.label);
    expect(labels).toContain('failed');
    expect(labels).not.toContain('skipped');
  });

  test('members read the digests of their own workspace only; others get a 404', async () => {
    const viewer = await app.userWithRoles('vera', { shop: 'viewer' });
    const own = await callExt(app, '/api/ext/run-digest/digests', { workspace: 'shop', cookie: viewer });
    expect(own.statusCode).toBe(200);
    expect((own.json() as Digests).digests.every((d) => d.workspace === 'shop')).toBe(true);
    const other = await callExt(app, '/api/ext/run-digest/digests', { workspace: 'ops', cookie: viewer });
    expect(other.statusCode).toBe(404);
    const unknown = await callExt(app, '/api/ext/run-digest/digests?run=nope', { workspace: 'shop' });
    expect((unknown.json() as Digests).digests).toEqual([]);
  });
});

describe('run-digest: the digest of a large run (4,122 nodes, errors, skips, failed tests)', () => {
  const file = path.join(datasetDir('synthetic'), 'run_results.json');
  const summary = summarize(JSON.parse(readFileSync(file, 'utf8')), 5)!;

  test('counts every status, lists the five slowest successes and every problem', () => {
    expect(summary.counts).toEqual({ success: 907, error: 4, skipped: 68, pass: 2994, fail: 57, warn: 7 });
    expect(summary.total).toBe(4037);
    expect(summary.slowest).toHaveLength(5);
    expect(summary.problems).toHaveLength(4 + 68 + 57 + 7);
  });

  test('badges: one per node, failures before skips, skips only when configured', () => {
    const digest = { results: summary, finishedAt: null } as RunDigest;
    const all = badgesOf(digest, { slowest: 5, keep: 50, badgeSkipped: true });
    expect(new Set(all.map((b) => b.nodeId)).size).toBe(all.length);
    const quiet = badgesOf(digest, { slowest: 5, keep: 50, badgeSkipped: false });
    expect(quiet.some((b) => b.label === 'skipped')).toBe(false);
    expect(quiet.filter((b) => b.label === 'failed')).toHaveLength(4);
  });

  test('slow badges go only to the slowest nodes that took at least twice the median', () => {
    const digest = { results: summary, finishedAt: '2026-01-15T06:24:12.482Z' } as RunDigest;
    const slow = badgesOf(digest, { slowest: 5, keep: 50, badgeSkipped: true }).filter((b) =>
      b.label.startsWith('slow '),
    );
    expect(slow.length).toBeGreaterThan(0);
    for (const badge of slow) {
      const node = summary.slowest.find((n) => n.uniqueId === badge.nodeId)!;
      expect(node.seconds).toBeGreaterThanOrEqual(2 * summary.medianSeconds);
      expect(badge.title).toMatch(/\(2026-01-15 06:24 UTC\), \d+\.\dx the median of/);
    }
    const even = { ...summary, slowest: summary.slowest.map((n) => ({ ...n, seconds: 1 })), medianSeconds: 1 };
    const none = badgesOf({ ...digest, results: even }, { slowest: 5, keep: 50, badgeSkipped: true });
    expect(none.some((b) => b.label.startsWith('slow '))).toBe(false);
  });
});
