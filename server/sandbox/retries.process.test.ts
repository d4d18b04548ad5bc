import { chmodSync, cpSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { runsFeature } from '../runs/feature.ts';
import { createRunService } from '../runs/service.ts';
import { startTestApp, type TestApp } from '../testing/test-app.ts';
import { createSandboxFeature } from './feature.ts';
import { approve, BACKEND_FIXTURES, callExt, diagnosticsOf, eventually } from './testing.ts';

// Hook retry policies (`backend.retries`) with real backend processes and real runs: the flaky-hook fixture's
// run-complete hook fails its first `failures` attempts of each run, under `{count: 2, backoffMs: 50}`.

const copies: Record<string, { failures: number; backoffMs?: number }> = {
  'flaky-twice': { failures: 2 },
  'flaky-always': { failures: 99 },
  'flaky-slow': { failures: 99, backoffMs: 1500 },
};

let app: TestApp;

beforeAll(async () => {
  const runs = createRunService({ graceMs: 200 });
  app = await startTestApp({
    workspaces: [...Object.keys(copies), 'other'].map((name) => ({ name, runCommand: ['/bin/true'] })),
    features: [runsFeature(runs), createSandboxFeature({ runs })],
    prepare: (dir) => {
      chmodSync(dir, 0o755);
      for (const [name, { failures, backoffMs }] of Object.entries(copies)) {
        const target = path.join(dir, 'plugins', name);
        cpSync(path.join(BACKEND_FIXTURES, 'flaky-hook'), target, { recursive: true });
        const manifest = JSON.parse(readFileSync(path.join(target, 'manifest.json'), 'utf8'));
        manifest.name = name;
        manifest.configuration.default = { failures };
        if (backoffMs !== undefined) manifest.backend.retries['run-complete'].backoffMs = backoffMs;
        writeFileSync(path.join(target, 'manifest.json'), JSON.stringify(manifest));
      }
    },
  });
  // Each copy hooks the runs of the workspace named after it only (and serves its route in "other").
  for (const name of Object.keys(copies)) {
    await approve(app, name);
    for (const workspace of Object.keys(copies).filter((w) => w !== name)) await enable(name, workspace, false);
  }
  for (const name of Object.keys(copies))
    await eventually(name, async () =>
      (await callExt(app, `/api/ext/${name}/attempts`, { workspace: 'other' })).statusCode === 200 ? true : undefined,
    );
}, 30_000);
afterAll(() => app?.close());

async function enable(plugin: string, workspace: string, enabled: boolean): Promise<void> {
  const response = await app.server.inject({
    method: 'PUT',
    url: `/api/plugins/${plugin}/workspaces/${workspace}`,
    headers: { cookie: app.adminCookie },
    payload: { enabled },
  });
  expect(response.statusCode).toBe(200);
}

async function startRun(workspace: string): Promise<string> {
  const started = await app.server.inject({
    method: 'POST',
    url: `/api/workspaces/${workspace}/runs`,
    headers: { cookie: app.adminCookie },
  });
  expect(started.statusCode).toBe(201);
  return (started.json() as { id: string }).id;
}

const attempts = async (plugin: string, run: string): Promise<number> =>
  ((await callExt(app, `/api/ext/${plugin}/attempts`, { workspace: 'other' })).json() as Record<string, number>)[run] ??
  0;

const hookStats = async (plugin: string) =>
  (await diagnosticsOf(app, plugin)).calls.find((c) => c.kind === 'hook' && c.name === 'run-complete');

describe('hook retry policies', () => {
  test('a hook that fails twice succeeds on its third attempt; both retries are recorded', async () => {
    const run = await startRun('flaky-twice');
    await eventually('a successful attempt', async () =>
      (await hookStats('flaky-twice'))?.count === 3 ? true : undefined,
    );
    expect(await attempts('flaky-twice', run)).toBe(3);
    const diagnostics = await diagnosticsOf(app, 'flaky-twice');
    expect(diagnostics.calls.find((c) => c.name === 'run-complete')).toMatchObject({ count: 3, errors: 2, retries: 2 });
    expect(diagnostics.events.filter((e) => e.type === 'retry').map((e) => e.message)).toEqual([
      'run-complete attempt 2 of 3 after 50 ms: attempt 1 fails on purpose',
      'run-complete attempt 3 of 3 after 100 ms: attempt 2 fails on purpose',
    ]);
  });

  test('a hook that always fails is attempted count + 1 times, and its last error is recorded', async () => {
    const run = await startRun('flaky-always');
    await eventually('three attempts', async () => ((await hookStats('flaky-always'))?.count === 3 ? true : undefined));
    // Nothing comes after the last attempt: wait past where a fourth would have been.
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(await attempts('flaky-always', run)).toBe(3);
    expect(await hookStats('flaky-always')).toMatchObject({
      count: 3,
      errors: 3,
      retries: 2,
      lastError: 'attempt 3 fails on purpose',
    });
  });

  test('no retry is made once the plugin was disabled in the workspace during the wait', async () => {
    const run = await startRun('flaky-slow');
    await eventually('the first attempt', async () => ((await attempts('flaky-slow', run)) === 1 ? true : undefined));
    await enable('flaky-slow', 'flaky-slow', false);
    // The first retry was due 1.5 s after the failure; give it twice that.
    await new Promise((resolve) => setTimeout(resolve, 3000));
    // A backend sees only its workspaces, so the change started a new process: it never got the run's hook.
    expect(await attempts('flaky-slow', run)).toBe(0);
    expect(await hookStats('flaky-slow')).toMatchObject({ count: 1, retries: 0 });
  });
});
