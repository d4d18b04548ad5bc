import { afterEach, expect, test } from 'vitest';
import { startTestApp, type TestApp } from '../../testing/test-app.ts';
import { call, pluginZip, postZip } from './testing.ts';

let app: TestApp | undefined;
afterEach(async () => {
  await app?.close();
  app = undefined;
});

test('the audit log lists admin actions newest first, filtered by action and plugin, in pages', async () => {
  const a = (app = await startTestApp({ features: [] }));
  await postZip(a, '/api/plugins/install', pluginZip('owners', { capabilities: ['read-metadata'] }));
  await postZip(a, '/api/plugins/install', pluginZip('notes'));
  await call(a, 'POST', '/api/plugins/owners/approve', { version: '1.0.0' });
  await call(a, 'POST', '/api/plugins/notes/disable');
  await call(a, 'DELETE', '/api/plugins/notes');

  const all = (await call(a, 'GET', '/api/audit')).json();
  expect(all.entries.map((e: { action: string; target: string }) => `${e.action} ${e.target}`)).toEqual([
    'plugin.remove notes',
    'plugin.disable notes',
    'plugin.approve owners',
    'plugin.install notes',
    'plugin.install owners',
  ]);
  expect(all.entries[0]).toMatchObject({ actorName: 'admin', details: { version: '1.0.0' } });
  expect(all.actions).toEqual(['plugin.approve', 'plugin.disable', 'plugin.install', 'plugin.remove']);
  expect(all.targets).toEqual(['notes', 'owners']);
  expect(all.hasMore).toBe(false);

  const installs = (await call(a, 'GET', '/api/audit?action=plugin.install')).json().entries;
  expect(installs.map((e: { target: string }) => e.target)).toEqual(['notes', 'owners']);
  const owners = (await call(a, 'GET', '/api/audit?target=owners')).json().entries;
  expect(owners.map((e: { action: string }) => e.action)).toEqual(['plugin.approve', 'plugin.install']);

  const first = (await call(a, 'GET', '/api/audit?limit=2')).json();
  expect(first.entries).toHaveLength(2);
  expect(first.hasMore).toBe(true);
  const next = (await call(a, 'GET', `/api/audit?limit=2&before=${encodeURIComponent(first.entries[1].at)}`)).json();
  expect(next.entries[0].action).toBe('plugin.approve');

  expect((await call(a, 'GET', '/api/audit?limit=0')).statusCode).toBe(400);
  const viewer = await a.userWithRoles('viewer', { default: 'viewer' });
  expect((await call(a, 'GET', '/api/audit', undefined, viewer)).statusCode).toBe(403);
});
