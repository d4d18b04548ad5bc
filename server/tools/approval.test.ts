import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import type { ToolList } from '../../shared/tools.schema.ts';
import { testManifest } from '../../shared/testing/manifests.ts';
import { startTestApp, type TestApp } from '../testing/test-app.ts';

// A tool is part of what an admin approves: a version whose tool changed waits, and the running version's tool is
// the one offered meanwhile.
let app: TestApp;

function placeOnDisk(dir: string, version: string, modelType: string): void {
  const folder = path.join(dir, 'plugins', 'tool-owner');
  mkdirSync(folder, { recursive: true });
  const tool = {
    name: 'owner_of',
    title: 'Owner of a model',
    description: 'Who owns a model.',
    effect: 'read',
    parameters: { type: 'object', properties: { model: { type: modelType } }, required: ['model'] },
  };
  writeFileSync(
    path.join(folder, 'manifest.json'),
    JSON.stringify(testManifest('tool-owner', { version, tools: [tool] })),
  );
}

async function call(method: 'GET' | 'POST', url: string, payload?: object) {
  const response = await app.server.inject({ method, url, headers: { cookie: app.adminCookie }, payload });
  return { status: response.statusCode, body: response.json() as Record<string, any> };
}

const offered = async () =>
  ((await call('GET', '/api/workspaces/default/tools')).body as ToolList).tools.find(
    (t) => t.id === 'tool-owner.owner_of',
  );

beforeAll(async () => {
  app = await startTestApp({ env: { PLUGINS_WATCH: 'false' }, prepare: (dir) => placeOnDisk(dir, '1.0.0', 'string') });
}, 30_000);
afterAll(() => app?.close());

test('a tool waits for approval with its plugin, in words, and is not offered before', async () => {
  const waiting = (await call('GET', '/api/plugins/tool-owner')).body;
  expect(waiting.state).toBe('pending-approval');
  expect(waiting.access).toEqual([
    expect.objectContaining({
      key: expect.stringMatching(/^tool:owner_of@/),
      description:
        'Offer the tool "Owner of a model" (owner_of), which only reads, to people and agents in its workspaces',
      approved: false,
    }),
  ]);
  expect(await offered()).toBeUndefined();
  expect((await call('POST', '/api/plugins/tool-owner/approve', { version: '1.0.0' })).body.state).toBe('active');
  expect((await offered())?.parameters).toMatchObject({ properties: { model: { type: 'string' } } });
});

test('a new version whose tool changed waits, while the approved tool is still the one offered', async () => {
  placeOnDisk(app.dir, '1.1.0', 'integer');
  expect((await call('POST', '/api/plugins/tool-owner/reload')).status).toBe(200);
  const plugin = (await call('GET', '/api/plugins/tool-owner')).body;
  expect(plugin).toMatchObject({
    state: 'active',
    version: '1.0.0',
    reloadError: { state: 'pending-approval', version: '1.1.0' },
  });
  expect((await offered())?.parameters).toMatchObject({ properties: { model: { type: 'string' } } });
  expect((await call('POST', '/api/plugins/tool-owner/approve', { version: '1.1.0' })).body).toMatchObject({
    state: 'active',
    version: '1.1.0',
  });
  expect((await offered())?.parameters).toMatchObject({ properties: { model: { type: 'integer' } } });
});
