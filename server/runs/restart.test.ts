import { randomUUID } from 'node:crypto';
import { rmSync } from 'node:fs';
import { pino } from 'pino';
import { afterEach, describe, expect, test } from 'vitest';
import type { Run, RunLog } from '@dbt-workbench/plugin-sdk/contracts/runs.schema';
import { buildApp, type App } from '../app.ts';
import { loadSettings } from '../settings.ts';
import { TEST_ADMIN } from '../testing/test-app.ts';
import { runsFeature } from './feature.ts';
import { createRunService } from './service.ts';
import { startRunsApp, waitFor } from './testing.ts';

const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step();
});

/** A second server on the data directory of a first one, as after a restart. */
async function restartOn(dir: string): Promise<App & { get(url: string, cookie: string): Promise<any> }> {
  const settings = loadSettings(
    {
      PLUGINS_DIRECTORY: 'plugins',
      SHELL_DIST_DIR: 'no-shell',
      WORKBENCH_DATA_DIR: 'data',
      WORKBENCH_ADMIN_USERNAME: TEST_ADMIN.username,
      WORKBENCH_ADMIN_PASSWORD: TEST_ADMIN.password,
    },
    dir,
  );
  const app = await buildApp(settings, pino({ level: 'silent' }), {
    features: [runsFeature(createRunService({ graceMs: 300 }))],
    print: () => {},
  });
  cleanup.push(() => app.server.close());
  return {
    ...app,
    async get(url, cookie) {
      const response = await app.server.inject({ url: `/api/workspaces/default/${url}`, headers: { cookie } });
      return response.json();
    },
  };
}

async function firstServer(command?: string[]) {
  const first = await startRunsApp(command);
  cleanup.push(async () => rmSync(first.dir, { recursive: true, force: true }));
  return first;
}

describe('runs across server restarts', () => {
  test('runs a dead server left queued or running are marked interrupted on the next start, with a reason', async () => {
    const first = await firstServer();
    const { db } = first.context;
    const insert = (status: string) => {
      const id = randomUUID();
      const now = new Date().toISOString();
      return db
        .run(
          `INSERT INTO runs (id, workspace, trigger, command, status, created_at, started_at) VALUES (?, 'default', 'manual', '["dbt","build"]', ?, ?, ?)`,
          [id, status, now, status === 'running' ? now : null],
        )
        .then(() => id);
    };
    const running = await insert('running');
    const queued = await insert('queued');
    await db.run(
      "INSERT INTO run_log_chunks (run_id, seq, stream, text, at) VALUES (?, 0, 'stdout', 'half way\n', ?)",
      [running, new Date().toISOString()],
    );
    await first.server.close(); // the rows stay as a crashed server would leave them

    const second = await restartOn(first.dir);
    const cookie = first.adminCookie; // sessions live in the same database
    const wasRunning = (await second.get(`runs/${running}`, cookie)) as Run;
    expect(wasRunning).toMatchObject({ status: 'interrupted', exitCode: null });
    expect(wasRunning.error).toContain('The server stopped while this run was running');
    expect(wasRunning.finishedAt).not.toBeNull();
    const wasQueued = (await second.get(`runs/${queued}`, cookie)) as Run;
    expect(wasQueued).toMatchObject({ status: 'interrupted' });
    expect(wasQueued.error).toContain('before this run started');
    const log = (await second.get(`runs/${running}/log`, cookie)) as RunLog;
    expect(log.chunks.map((c) => c.text)).toEqual(['half way\n', expect.stringContaining('The server stopped')]);
  });

  test('a graceful shutdown terminates the running command and marks its run and the queued ones interrupted', async () => {
    const first = await firstServer(['node', '-e', 'console.log("long job"); setInterval(() => {}, 1000)']);
    const running = (await first.call('POST', 'runs', {})).body as Run;
    const queued = (await first.call('POST', 'runs', {})).body as Run;
    await waitFor(async () => (await first.call('GET', `runs/${running.id}`)).body.status === 'running');
    await first.server.close();

    const second = await restartOn(first.dir);
    const a = (await second.get(`runs/${running.id}`, first.adminCookie)) as Run;
    expect(a.status).toBe('interrupted');
    expect(a.error).toContain('The server shut down while this run was running');
    const b = (await second.get(`runs/${queued.id}`, first.adminCookie)) as Run;
    expect(b.status).toBe('interrupted');
    const log = (await second.get(`runs/${running.id}/log`, first.adminCookie)) as RunLog;
    expect(log.chunks.map((c) => c.text).join('')).toContain('The server is shutting down: terminating the command.');
  });
});
