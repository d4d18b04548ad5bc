import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { testManifest } from '../../shared/testing/manifests.ts';
import { placePluginOnDisk } from '../testing/operator-copy.ts';
import { startTestApp, type TestApp } from '../testing/test-app.ts';
import type { PluginRecord } from './evaluate.ts';
import { rejectedReason, withFirstRejection } from './first-rejection.ts';

// An admin can say "no" to a plugin's first version, not only to a newer build waiting beside a running one: the
// plugin stays pending and never runs, the API says who rejected it, and a newer version asks again.

const at = '2026-12-06T13:05:00.000Z';
const pending = {
  name: 'sql-tips',
  directory: '/plugins/sql-tips',
  state: 'pending-approval',
  reason: 'waiting for an admin to approve: read-metadata',
  manifest: testManifest('sql-tips', { version: '1.0.0', capabilities: ['read-metadata'] }),
  problems: [],
  warnings: [],
  revision: '1.0.0-abc',
  missingStaticFiles: [],
  approvedCapabilities: [],
  access: [],
  enabledWorkspaces: [],
  config: {},
} as unknown as PluginRecord;
const rejectedAt = (name: string, version: string) =>
  name === 'sql-tips' && version === '1.0.0' ? { by: 'admin', at } : undefined;

describe('withFirstRejection (pure)', () => {
  test('marks the version in force waiting for its first approval, with a reason naming who and when', () => {
    expect(withFirstRejection(pending, rejectedAt)).toMatchObject({
      state: 'pending-approval',
      rejected: { by: 'admin', at },
      reason: 'Version 1.0.0 was rejected by admin on 2026-12-06; approve it after all or remove it',
    });
    expect(rejectedReason('2.0.0', { by: 'ops', at })).toBe(
      'Version 2.0.0 was rejected by ops on 2026-12-06; approve it after all or remove it',
    );
  });

  test('leaves alone another version, another state, and a running version with a newer build waiting', () => {
    const newer = { ...pending, manifest: { ...pending.manifest!, version: '1.1.0' } };
    expect(withFirstRejection(newer, rejectedAt)).toBe(newer);
    const active = { ...pending, state: 'active' as const };
    expect(withFirstRejection(active, rejectedAt)).toBe(active);
    const running = { ...active, reloadError: { state: 'pending-approval' as const, reason: 'x', problems: [] } };
    expect(withFirstRejection({ ...running, state: 'pending-approval' }, rejectedAt)).not.toHaveProperty('rejected');
  });
});

let app: TestApp;

async function call(method: 'GET' | 'POST', url: string, payload?: object) {
  const response = await app.server.inject({ method, url, headers: { cookie: app.adminCookie }, payload });
  return { status: response.statusCode, body: response.json() as Record<string, any> };
}

/** sql-tips as the list and the single read show it: both carry the same fields. */
async function seen() {
  const one = (await call('GET', '/api/plugins/sql-tips')).body;
  const listed = (await call('GET', '/api/plugins')).body.plugins.find((p: { name: string }) => p.name === 'sql-tips');
  for (const field of ['state', 'version', 'reason', 'rejected'] as const) expect(listed[field]).toEqual(one[field]);
  return one;
}

async function rejections() {
  const { entries } = (await call('GET', '/api/audit?action=plugin.reject&target=sql-tips')).body as {
    entries: { actorName: string | null; details: Record<string, unknown> | null }[];
  };
  return entries;
}

/** Places a new version and asks the server to re-read the folder (what the watcher does in production). */
async function arrive(version: string, capabilities: string[]) {
  placePluginOnDisk(app.dir, 'sql-tips', version, capabilities);
  expect((await call('POST', '/api/plugins/sql-tips/reload')).status).toBe(200);
}

beforeAll(async () => {
  app = await startTestApp({
    env: { PLUGINS_WATCH: 'false' },
    prepare: (dir) => placePluginOnDisk(dir, 'sql-tips', '1.0.0', ['read-metadata']),
  });
}, 30_000);
afterAll(() => app?.close());

describe('rejecting the first version of a plugin dropped into the plugins folder', () => {
  test('it waits for its first approval, not rejected', async () => {
    const now = await seen();
    expect(now).toMatchObject({ state: 'pending-approval', version: '1.0.0' });
    expect(now.reason).toBe('waiting for an admin to approve: read-metadata');
    expect(now).not.toHaveProperty('rejected');
  });

  test('a review of another version is refused with 409 naming the version waiting, and changes nothing', async () => {
    const stale = await call('POST', '/api/plugins/sql-tips/reject', { version: '0.9.0' });
    expect(stale.status).toBe(409);
    expect(stale.body.error.message).toBe('You reviewed version 0.9.0, but 1.0.0 is waiting now; review it again');
    expect(await seen()).not.toHaveProperty('rejected');
    expect(await rejections()).toEqual([]);
  });

  test('rejecting 1.0.0 keeps it pending and not running, says so in the summary, and is audited', async () => {
    const before = Date.now();
    const rejected = await call('POST', '/api/plugins/sql-tips/reject', { version: '1.0.0' });
    expect(rejected.status).toBe(200);
    expect(rejected.body).toMatchObject({ state: 'pending-approval', version: '1.0.0', enabledWorkspaces: [] });
    expect(rejected.body.rejected.by).toBe('admin');
    const when = Date.parse(rejected.body.rejected.at);
    expect(when).toBeGreaterThanOrEqual(before - 1000);
    expect(when).toBeLessThanOrEqual(Date.now() + 1000);
    const day = rejected.body.rejected.at.slice(0, 10);
    expect(rejected.body.reason).toBe(
      `Version 1.0.0 was rejected by admin on ${day}; approve it after all or remove it`,
    );
    // The list and the single read say the same, and re-reading the folder does not bring the question back.
    expect((await call('POST', '/api/plugins/sql-tips/reload')).status).toBe(200);
    expect(await seen()).toMatchObject({ state: 'pending-approval', rejected: rejected.body.rejected });
    // Its health at a glance no longer says it waits for an admin.
    const listed = (await call('GET', '/api/plugins')).body.plugins.find(
      (p: { name: string }) => p.name === 'sql-tips',
    );
    expect(listed.health).toEqual({ level: 'off', summary: 'Rejected by an admin: it never runs' });
    const [entry, ...more] = await rejections();
    expect(more).toEqual([]);
    expect(entry).toMatchObject({
      actorName: 'admin',
      details: { version: '1.0.0', running: null, access: ['read-metadata'] },
    });
    // It never runs: no workspace gets its contributions.
    const extensions = await call('GET', '/api/workspaces/default/extensions');
    expect(extensions.status).toBe(200);
    expect(JSON.stringify(extensions.body)).not.toContain('sql-tips');
  });

  test('a newer version asks again, and the rejected one can no longer be reviewed', async () => {
    await arrive('1.1.0', ['read-metadata', 'write-metadata']);
    const now = await seen();
    expect(now).toMatchObject({ state: 'pending-approval', version: '1.1.0' });
    expect(now).not.toHaveProperty('rejected');
    expect(now.reason).toBe('waiting for an admin to approve: read-metadata, write-metadata');
    const late = await call('POST', '/api/plugins/sql-tips/reject', { version: '1.0.0' });
    expect(late.status).toBe(409);
    expect(late.body.error.message).toBe('You reviewed version 1.0.0, but 1.1.0 is waiting now; review it again');
    expect(await rejections()).toHaveLength(1);
  });

  test('approving a rejected version after all runs it and forgets the rejection', async () => {
    expect((await call('POST', '/api/plugins/sql-tips/reject', { version: '1.1.0' })).body.rejected).toMatchObject({
      by: 'admin',
    });
    const approved = await call('POST', '/api/plugins/sql-tips/approve', { version: '1.1.0' });
    expect(approved.status).toBe(200);
    expect(approved.body).toMatchObject({ state: 'active', version: '1.1.0' });
    expect(approved.body).not.toHaveProperty('rejected');
    expect(approved.body.reason).toBeUndefined();
    expect((await call('POST', '/api/plugins/sql-tips/reload')).status).toBe(200);
    expect(await seen()).not.toHaveProperty('rejected');
  });

  test('rejecting a version that is approved and running is a 409 saying nothing waits', async () => {
    const nothing = await call('POST', '/api/plugins/sql-tips/reject', { version: '1.1.0' });
    expect(nothing.status).toBe(409);
    expect(nothing.body.error.message).toBe(
      'Nothing of "sql-tips" waits for approval (version 1.1.0 is active), so version 1.1.0 cannot be rejected',
    );
    expect(await seen()).toMatchObject({ state: 'active', version: '1.1.0' });
    expect(await rejections()).toHaveLength(2);
  });
});
