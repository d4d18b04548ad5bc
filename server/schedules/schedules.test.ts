import { afterEach, describe, expect, test } from 'vitest';
import type { Run, Schedule } from '@dbt-workbench/plugin-sdk/contracts/runs.schema';
import { startRunsApp, waitFor, type RunsTestApp } from '../runs/testing.ts';

let app: RunsTestApp | undefined;
afterEach(async () => {
  await app?.close();
  app = undefined;
});

async function start(): Promise<RunsTestApp> {
  app = await startRunsApp();
  return app;
}

const daily = { name: 'nightly build', cron: '0 2 * * *', timezone: 'Europe/Oslo' };

describe('schedules API', () => {
  test('create, list, change and delete a schedule; nextRunAt follows cron, time zone and enabled', async () => {
    const { call } = await start();
    const created = await call('POST', 'schedules', daily);
    expect(created.status).toBe(201);
    const schedule = created.body as Schedule;
    expect(schedule).toMatchObject({ ...daily, enabled: true, createdBy: 'admin', lastRun: null });
    // 02:00 in Oslo is 01:00 or 00:00 UTC, depending on summer time.
    expect(schedule.nextRunAt).toMatch(/T0[01]:00:00\.000Z$/);
    expect(Date.parse(schedule.nextRunAt!)).toBeGreaterThan(Date.now());

    const utc = await call('POST', 'schedules', { name: 'hourly', cron: '15 * * * *' });
    expect(utc.body).toMatchObject({ timezone: 'UTC', nextRunAt: expect.stringMatching(/:15:00\.000Z$/) });

    const list = await call('GET', 'schedules');
    expect(list.body.schedules.map((s: Schedule) => s.name)).toEqual(['hourly', 'nightly build']);

    const disabled = await call('PUT', `schedules/${schedule.id}`, { enabled: false });
    expect(disabled.status).toBe(200);
    expect(disabled.body).toMatchObject({ ...daily, enabled: false, nextRunAt: null });
    const moved = await call('PUT', `schedules/${schedule.id}`, { enabled: true, timezone: 'UTC' });
    expect(moved.body).toMatchObject({
      cron: '0 2 * * *',
      timezone: 'UTC',
      nextRunAt: expect.stringMatching(/T02:00:00\.000Z$/),
    });

    const duplicate = await call('PUT', `schedules/${schedule.id}`, { name: 'hourly' });
    expect(duplicate.status).toBe(409);
    expect((await call('POST', 'schedules', { ...daily, name: 'hourly' })).status).toBe(409);

    expect((await call('DELETE', `schedules/${schedule.id}`)).status).toBe(204);
    expect((await call('DELETE', `schedules/${schedule.id}`)).status).toBe(404);
    expect((await call('PUT', `schedules/${schedule.id}`, { enabled: true })).status).toBe(404);
    expect((await call('GET', 'schedules')).body.schedules.map((s: Schedule) => s.name)).toEqual(['hourly']);

    const audit = await app!.server.inject({ url: '/api/audit', headers: { cookie: app!.adminCookie } });
    const actions = (audit.json().entries as { action: string; target: string }[]).map(
      (e) => `${e.action} ${e.target}`,
    );
    expect(actions).toEqual(
      expect.arrayContaining([
        'schedule.create nightly build',
        'schedule.update nightly build',
        'schedule.delete nightly build',
      ]),
    );
  });

  test('a bad cron or time zone is a 400 naming the field with croner’s reason, and stores nothing', async () => {
    const { call } = await start();
    const badCron = await call('POST', 'schedules', { name: 'x', cron: '61 * * * *' });
    expect(badCron.status).toBe(400);
    expect(badCron.body.error.message).toContain('cron: CronPattern: Invalid value for minute: 61');
    expect(badCron.body.error.details).toContainEqual(expect.objectContaining({ field: 'cron' }));

    const parts = await call('POST', 'schedules', { name: 'x', cron: 'every day' });
    expect(parts.body.error.message).toContain('exactly five, six, or seven space separated parts');

    const badZone = await call('POST', 'schedules', { name: 'x', cron: '0 2 * * *', timezone: 'Mars/Olympus' });
    expect(badZone.status).toBe(400);
    expect(badZone.body.error.message).toMatch(/timezone: .*Mars\/Olympus/);

    const never = await call('POST', 'schedules', { name: 'x', cron: '0 0 31 2 *' });
    expect(never.body.error.message).toContain('cron: never matches a future date');

    const missing = await call('POST', 'schedules', { cron: '0 2 * * *' });
    expect(missing.body.error.message).toContain('name: is required');
    expect((await call('GET', 'schedules')).body.schedules).toEqual([]);

    const ok = (await call('POST', 'schedules', daily)).body as Schedule;
    const badUpdate = await call('PUT', `schedules/${ok.id}`, { timezone: 'Nowhere/Land' });
    expect(badUpdate.status).toBe(400);
    expect(badUpdate.body.error.message).toContain('timezone:');
    expect((await call('PUT', `schedules/${ok.id}`, {})).status).toBe(400);
    expect((await call('GET', 'schedules')).body.schedules[0]).toMatchObject(daily);
  });

  test('a schedule fires a run through the run service; after delete no more runs start', async () => {
    const { call, schedules } = await start();
    const events: string[] = [];
    schedules.hooks.scheduleRunStart.register({
      owner: 'test',
      handle: ({ schedule }) => void events.push(`start:${schedule.name}`),
    });
    schedules.hooks.scheduleRunComplete.register({
      owner: 'test',
      handle: ({ status }) => void events.push(`complete:${status}`),
    });

    const schedule = (await call('POST', 'schedules', { name: 'every second', cron: '* * * * * *' })).body as Schedule;
    const run = await waitFor(async () => {
      const runs = (await call('GET', 'runs')).body.runs as Run[];
      return runs.find((r) => r.status === 'success');
    });
    expect(run).toMatchObject({
      trigger: 'schedule',
      schedule: { id: schedule.id, name: 'every second' },
      triggeredBy: null,
    });
    await waitFor(async () => events.includes('complete:success'));
    expect(events[0]).toBe('start:every second');
    const listed = (await call('GET', 'schedules')).body.schedules[0] as Schedule;
    expect(listed.lastRun).not.toBeNull();

    expect((await call('DELETE', `schedules/${schedule.id}`)).status).toBe(204);
    const settle = async () => {
      const runs = (await call('GET', 'runs')).body.runs as Run[];
      return runs.every((r) => r.status !== 'queued' && r.status !== 'running') && runs;
    };
    const before = await waitFor(settle);
    await new Promise((resolve) => setTimeout(resolve, 1500));
    const after = await waitFor(settle);
    expect(after.length).toBe(before.length);
    // The runs stay, and still say a schedule started them.
    expect(after.every((r) => r.trigger === 'schedule' && r.schedule?.id === null)).toBe(true);
  });

  test('a disabled schedule does not fire', async () => {
    const { call } = await start();
    await call('POST', 'schedules', { name: 'off', cron: '* * * * * *', enabled: false });
    await new Promise((resolve) => setTimeout(resolve, 1300));
    expect((await call('GET', 'runs')).body.runs).toEqual([]);
  });

  test('viewers list schedules but cannot create, change or delete them', async () => {
    const { call, userWithRoles } = await start();
    const viewer = await userWithRoles('vic', { default: 'viewer' });
    const developer = await userWithRoles('dev', { default: 'developer' });
    expect((await call('POST', 'schedules', daily, viewer)).status).toBe(403);
    const created = await call('POST', 'schedules', daily, developer);
    expect(created.status).toBe(201);
    expect((await call('GET', 'schedules', undefined, viewer)).body.schedules).toHaveLength(1);
    expect((await call('PUT', `schedules/${created.body.id}`, { enabled: false }, viewer)).status).toBe(403);
    expect((await call('DELETE', `schedules/${created.body.id}`, undefined, viewer)).status).toBe(403);
  });
});
