import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { placePluginOnDisk } from '../testing/operator-copy.ts';
import { startTestApp, type TestApp } from '../testing/test-app.ts';

// One approval path for every new version (issue 13 item 2): a newer build placed in the plugin's folder (hot
// reload, an operator's copy, dev mode) waits for the admin with its diff while the running version serves, and
// is approved or rejected through the API like a staged update.
let app: TestApp;

async function call(method: 'GET' | 'POST' | 'DELETE', url: string, payload?: object) {
  const response = await app.server.inject({ method, url, headers: { cookie: app.adminCookie }, payload });
  return { status: response.statusCode, body: response.json() as Record<string, any> };
}

/** What the admin sees of sql-tips: the running version and the version waiting in its installation. */
async function seen() {
  const plugin = (await call('GET', '/api/plugins/sql-tips')).body;
  const { installations } = (await call('GET', '/api/marketplace/installations')).body as {
    installations: { name: string; pending?: Record<string, any> }[];
  };
  const pending = installations.find((i) => i.name === 'sql-tips')?.pending;
  return { state: plugin.state, version: plugin.version, reloadError: plugin.reloadError, pending };
}

/** Places a new version and asks the server to re-read the folder (what the watcher does in production). */
async function arrive(version: string, capabilities: string[]) {
  placePluginOnDisk(app.dir, 'sql-tips', version, capabilities);
  expect((await call('POST', '/api/plugins/sql-tips/reload')).status).toBe(200);
}

async function audit(action: string) {
  const { entries } = (await call('GET', `/api/audit?action=${action}&target=sql-tips`)).body as {
    entries: { actorName: string | null; details: Record<string, unknown> | null }[];
  };
  return entries;
}

beforeAll(async () => {
  app = await startTestApp({
    env: { PLUGINS_WATCH: 'false' },
    prepare: (dir) => placePluginOnDisk(dir, 'sql-tips', '1.0.0', ['read-metadata']),
  });
  const approved = await call('POST', '/api/plugins/sql-tips/approve', { version: '1.0.0' });
  expect(approved.body).toMatchObject({ state: 'active', version: '1.0.0' });
}, 30_000);
afterAll(() => app?.close());

describe('a newer build placed in the folder waits for the admin', () => {
  test('1.1.0 asking for a new capability waits with its diff while 1.0.0 runs', async () => {
    await arrive('1.1.0', ['read-metadata', 'write-metadata']);
    const now = await seen();
    expect(now).toMatchObject({
      state: 'active',
      version: '1.0.0',
      reloadError: { state: 'pending-approval', version: '1.1.0' },
    });
    expect(now.reloadError).not.toHaveProperty('waiting');
    expect(now.pending).toMatchObject({
      version: '1.1.0',
      source: 'folder',
      diff: { from: { version: '1.0.0' }, to: { version: '1.1.0' }, added: ['write-metadata'], change: 'upgrade' },
    });
    expect(now.pending!.rejected).toBeUndefined();
    // What the running version had approved is not asked again; only what 1.1.0 adds.
    expect(now.pending!.diff.needsApproval).toEqual(['write-metadata']);
    expect(now.pending!.diff.compatible).toBe(true);
  });

  test('approving a version that is not the one waiting answers 409 naming the one that waits', async () => {
    const stale = await call('POST', '/api/plugins/sql-tips/approve', { version: '1.0.9' });
    expect(stale.status).toBe(409);
    expect(stale.body.error.message).toBe('You reviewed version 1.0.9, but 1.1.0 is waiting now; review it again');
    const viaUpdate = await call('POST', '/api/plugins/sql-tips/update/approve', { version: '1.0.9' });
    expect(viaUpdate.status).toBe(409);
    expect((await seen()).version).toBe('1.0.0');
  });

  test('rejecting keeps 1.0.0 running, is remembered for 1.1.0 and audited', async () => {
    const rejected = await call('POST', '/api/plugins/sql-tips/reject', { version: '1.1.0' });
    expect(rejected.status).toBe(200);
    expect(rejected.body).toMatchObject({ state: 'active', version: '1.0.0' });
    // Re-reading the folder does not bring the question back as new: the rejection holds for 1.1.0.
    expect((await call('POST', '/api/plugins/sql-tips/reload')).status).toBe(200);
    const now = await seen();
    expect(now).toMatchObject({ state: 'active', version: '1.0.0', pending: { version: '1.1.0' } });
    expect(now.pending!.rejected).toMatchObject({ by: 'admin' });
    const [entry] = await audit('plugin.reject');
    expect(entry).toMatchObject({ actorName: 'admin', details: { version: '1.1.0', running: '1.0.0' } });
  });

  test('a newer version after a rejection waits again, and a review of the older one is refused', async () => {
    await arrive('1.2.0', ['read-metadata', 'write-metadata', 'modify-lineage']);
    const now = await seen();
    expect(now).toMatchObject({ state: 'active', version: '1.0.0', pending: { version: '1.2.0' } });
    expect(now.pending!.rejected).toBeUndefined();
    expect(now.pending!.diff.added).toEqual(['write-metadata', 'modify-lineage']);
    const late = await call('POST', '/api/plugins/sql-tips/approve', { version: '1.1.0' });
    expect(late.status).toBe(409);
    expect(late.body.error.message).toBe('You reviewed version 1.1.0, but 1.2.0 is waiting now; review it again');
  });

  test('approving through update/approve swaps the waiting version in, with its new capabilities', async () => {
    const approved = await call('POST', '/api/plugins/sql-tips/update/approve', { version: '1.2.0' });
    expect(approved.status).toBe(200);
    expect(approved.body).toMatchObject({
      status: 'activated',
      diff: { to: { version: '1.2.0' } },
      plugin: { state: 'active', version: '1.2.0' },
    });
    expect(approved.body.plugin.approvedCapabilities).toEqual(['read-metadata', 'write-metadata', 'modify-lineage']);
    const now = await seen();
    expect(now.reloadError).toBeUndefined();
    expect(now.pending).toBeUndefined();
    const [entry] = await audit('plugin.update.approve');
    expect(entry).toMatchObject({ actorName: 'admin', details: { version: '1.2.0' } });
  });

  test('approving through approve does the same; nothing waits, so reject answers 409', async () => {
    await arrive('1.3.0', ['read-metadata', 'write-metadata', 'modify-lineage', 'access-sql-workspace']);
    expect((await seen()).pending).toMatchObject({ version: '1.3.0', diff: { added: ['access-sql-workspace'] } });
    const approved = await call('POST', '/api/plugins/sql-tips/approve', { version: '1.3.0' });
    expect(approved.status).toBe(200);
    expect(approved.body).toMatchObject({ state: 'active', version: '1.3.0' });
    const nothing = await call('POST', '/api/plugins/sql-tips/reject', { version: '1.3.0' });
    expect(nothing.status).toBe(409);
    expect(nothing.body.error.message).toBe(
      'Nothing of "sql-tips" waits for approval (version 1.3.0 is active), so version 1.3.0 cannot be rejected',
    );
    expect((await call('DELETE', '/api/plugins/sql-tips/update')).status).toBe(404);
  });

  test('a version asking for nothing new still waits (approvals hold per version), with nothing added', async () => {
    await arrive('1.3.1', ['read-metadata']);
    const now = await seen();
    expect(now).toMatchObject({ state: 'active', version: '1.3.0', pending: { version: '1.3.1' } });
    expect(now.pending!.diff).toMatchObject({ added: [], needsApproval: [], removed: expect.any(Array) });
  });
});
