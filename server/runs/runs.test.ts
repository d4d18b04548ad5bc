import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import type { Run, RunLog } from '@dbt-workbench/plugin-sdk/contracts/runs.schema';
import { runEnvironment } from './child.ts';
import { startRunsApp, waitFor, type RunsTestApp } from './testing.ts';

let app: RunsTestApp | undefined;
afterEach(async () => {
  await app?.close();
  app = undefined;
});

async function start(...args: Parameters<typeof startRunsApp>): Promise<RunsTestApp> {
  app = await startRunsApp(...args);
  return app;
}

/** Waits until the run has a final status, through the API as the shell does. */
async function ended(app: RunsTestApp, id: string): Promise<Run> {
  return waitFor(async () => {
    const { body } = await app.call('GET', `runs/${id}`);
    return body.status !== 'queued' && body.status !== 'running' ? (body as Run) : undefined;
  });
}

/** The whole log text of a run, read in pages the way the live viewer reads it. */
async function logText(app: RunsTestApp, id: string): Promise<string> {
  let after = -1;
  let text = '';
  for (;;) {
    const { body } = await app.call('GET', `runs/${id}/log?after=${after}&limit=3`);
    const log = body as RunLog;
    text += log.chunks.map((c) => c.text).join('');
    after = log.last;
    if (!log.more) return text;
  }
}

const slow = ['node', '-e', 'console.log("working"); setTimeout(() => console.log("too late"), 30000)'];

describe('runs API', () => {
  test('a manual run executes the workspace command, streams its log and rewrites run_results.json', async () => {
    const { call, dir } = await start();
    const resultsFile = path.join(dir, 'workspaces/default/target/run_results.json');

    const created = await call('POST', 'runs', {});
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ trigger: 'manual', triggeredBy: { username: 'admin' }, schedule: null });
    expect(['queued', 'running']).toContain(created.body.status);
    const run = await ended(app!, created.body.id);
    expect(run).toMatchObject({ status: 'success', exitCode: 0, error: null });
    expect(run.command.slice(-1)).toEqual(['build']);
    expect(Date.parse(run.finishedAt!)).toBeGreaterThanOrEqual(Date.parse(run.startedAt!));

    const log = await logText(app!, run.id);
    expect(log).toMatch(/1 of 5 START seed file main\.raw_customers \.+ \[RUN\]/);
    expect(log).toContain('4 of 5 OK created sql table model main.customers');
    expect(log).toContain('Completed successfully');
    expect(log).toContain('Done. PASS=5 WARN=0 ERROR=0 SKIP=0 TOTAL=5');
    expect(log).toMatch(/Process ended after .* \(exit code 0\): run success/);

    const results = JSON.parse(readFileSync(resultsFile, 'utf8'));
    expect(results.results).toHaveLength(5);
    expect(Date.parse(results.metadata.generated_at)).toBeGreaterThanOrEqual(Date.parse(run.startedAt!));

    const list = await call('GET', 'runs');
    expect(list.status).toBe(200);
    expect(list.body.runs.map((r: Run) => [r.id, r.status])).toEqual([[run.id, 'success']]);
    const after = await call('GET', `runs/${run.id}/log?after=100000`);
    expect(after.body).toMatchObject({ status: 'success', chunks: [], more: false });
  });

  test('a failing command ends failed with its exit code and its stderr in the log', async () => {
    const { call } = await start(['node', '-e', 'console.error("no profiles.yml found"); process.exit(3)']);
    const run = await ended(app!, (await call('POST', 'runs', {})).body.id);
    expect(run).toMatchObject({ status: 'failed', exitCode: 3, error: 'The command exited with code 3' });
    const { body } = await call('GET', `runs/${run.id}/log`);
    expect((body as RunLog).chunks).toContainEqual(
      expect.objectContaining({ stream: 'stderr', text: 'no profiles.yml found\n' }),
    );
  });

  test('a command that cannot start ends failed and says why', async () => {
    const { call } = await start(['dbt-is-not-installed-here', 'build']);
    const run = await ended(app!, (await call('POST', 'runs', {})).body.id);
    expect(run.status).toBe('failed');
    expect(run.exitCode).toBeNull();
    expect(run.error).toContain('Could not start "dbt-is-not-installed-here"');
  });

  test('cancel stops a running command; a finished run cannot be cancelled', async () => {
    const { call } = await start(slow);
    const { body: created } = await call('POST', 'runs', {});
    await waitFor(async () => (await logText(app!, created.id)).includes('working'));
    const cancelled = await call('POST', `runs/${created.id}/cancel`, {});
    expect(cancelled.status).toBe(200);
    const run = await ended(app!, created.id);
    expect(run).toMatchObject({ status: 'cancelled', error: 'Cancelled by admin' });
    expect(await logText(app!, run.id)).toContain('Cancelled by admin: stopping the command (SIGTERM).');
    expect(await logText(app!, run.id)).not.toContain('too late\n');

    const again = await call('POST', `runs/${created.id}/cancel`, {});
    expect(again.status).toBe(409);
    expect(again.body.error.message).toContain('already ended (cancelled)');
  });

  test('a command that ignores SIGTERM is killed after the grace period', async () => {
    const stubborn = [
      'node',
      '-e',
      'process.on("SIGTERM", () => console.log("ignoring SIGTERM")); console.log("up"); setInterval(() => {}, 1000)',
    ];
    const { call } = await start(stubborn, { service: { graceMs: 300 } });
    const { body: created } = await call('POST', 'runs', {});
    // The line the command printed, not the echoed command line (which holds "up" too): its handler is set.
    await waitFor(async () => /^up$/m.test(await logText(app!, created.id)));
    await call('POST', `runs/${created.id}/cancel`, {});
    const run = await ended(app!, created.id);
    expect(run.status).toBe('cancelled');
    const log = await logText(app!, run.id);
    expect(log).toContain('ignoring SIGTERM');
    expect(log).toContain('signal SIGKILL');
  });

  test('runs of one workspace queue: the next starts when the previous has ended', async () => {
    const { call } = await start(['node', '-e', 'setTimeout(() => console.log("finished"), 300)']);
    const first = (await call('POST', 'runs', {})).body as Run;
    const second = (await call('POST', 'runs', {})).body as Run;
    const third = (await call('POST', 'runs', {})).body as Run;
    expect((await call('GET', `runs/${second.id}`)).body.status).toBe('queued');

    const cancelled = await call('POST', `runs/${third.id}/cancel`, {});
    expect(cancelled.body).toMatchObject({ status: 'cancelled', startedAt: null });

    const a = await ended(app!, first.id);
    const b = await ended(app!, second.id);
    expect([a.status, b.status]).toEqual(['success', 'success']);
    expect(Date.parse(b.startedAt!)).toBeGreaterThanOrEqual(Date.parse(a.finishedAt!));
    const listed = (await call('GET', 'runs')).body.runs as Run[];
    expect(listed.map((r) => r.id)).toEqual([third.id, second.id, first.id]);

    const page = (await call('GET', 'runs?limit=2')).body;
    expect(page.runs).toHaveLength(2);
    const next = (await call('GET', `runs?limit=2&before=${page.nextBefore}`)).body;
    expect(next.runs.map((r: Run) => r.id)).toEqual([first.id]);
    expect(next.nextBefore).toBeNull();
  });

  test('the run hooks see start and end; a failing hook does not change the outcome', async () => {
    const { call, runs } = await start();
    const seen: string[] = [];
    runs.hooks.runStart.register({ owner: 'test', handle: ({ run }) => void seen.push(`start:${run.status}`) });
    runs.hooks.runStart.register({
      owner: 'broken',
      handle: () => {
        throw new Error('hook broke');
      },
    });
    runs.hooks.runPostProcess.register({ owner: 'test', handle: ({ status }) => void seen.push(`post:${status}`) });
    runs.hooks.runComplete.register({
      owner: 'test',
      handle: ({ workspace, status }) => void seen.push(`complete:${workspace.name}:${status}`),
    });
    const run = await ended(app!, (await call('POST', 'runs', {})).body.id);
    expect(run.status).toBe('success');
    await waitFor(async () => seen.length === 3);
    expect(seen).toEqual(['start:running', 'post:success', 'complete:default:success']);
  });

  test('a hook that hangs neither keeps the status from being stored nor blocks the next run for long', async () => {
    const { call, runs } = await start(['node', '-e', 'console.log("quick")'], { service: { hookTimeoutMs: 200 } });
    runs.hooks.runComplete.register({ owner: 'stuck', handle: () => new Promise(() => {}) });
    const first = (await call('POST', 'runs', {})).body as Run;
    const second = (await call('POST', 'runs', {})).body as Run;
    expect((await ended(app!, first.id)).status).toBe('success');
    expect((await ended(app!, second.id)).status).toBe('success');
  });

  test('viewers read runs but cannot start or cancel them; non-members see no workspace', async () => {
    const { call, userWithRoles } = await start();
    const viewer = await userWithRoles('vera', { default: 'viewer' });
    const outsider = await userWithRoles('olga', {});
    const run = (await call('POST', 'runs', {})).body as Run;

    expect((await call('POST', 'runs', {}, viewer)).status).toBe(403);
    expect((await call('POST', `runs/${run.id}/cancel`, {}, viewer)).status).toBe(403);
    expect((await call('GET', 'runs', undefined, viewer)).status).toBe(200);
    expect((await call('GET', `runs/${run.id}/log`, undefined, viewer)).status).toBe(200);
    expect((await call('GET', 'runs', undefined, outsider)).status).toBe(404);
    expect((await call('GET', 'runs', undefined, '')).status).toBe(401);
    expect((await call('GET', 'runs/not-a-run')).status).toBe(404);
    expect((await call('GET', 'runs?limit=0')).body.error.message).toContain('limit');
    await ended(app!, run.id);
  });

  test('a run gets only PATH, HOME, LANG and DBT_* from the server environment', () => {
    const env = runEnvironment({
      PATH: '/bin',
      HOME: '/home/x',
      LANG: 'C',
      DBT_PROFILES_DIR: '/p',
      DATABASE_URL: 'secret',
      WORKBENCH_ADMIN_PASSWORD: 'secret',
    });
    expect(env).toEqual({ PATH: '/bin', HOME: '/home/x', LANG: 'C', DBT_PROFILES_DIR: '/p' });
  });
});
