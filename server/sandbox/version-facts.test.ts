import { statSync } from 'node:fs';
import path from 'node:path';
import { afterEach, expect, test } from 'vitest';
import type { PluginDiagnosticsAnswer } from '../../shared/plugin-diagnostics.schema.ts';
import { appVersion } from '../host-info.ts';
import { startTestApp, type TestApp } from '../testing/test-app.ts';
import { call, pluginZip, postZip } from '../plugins/installation/testing.ts';
import { createSandboxFeature } from './feature.ts';
import { approve, eventually, withFixtures } from './testing.ts';

// Diagnostics show when the version in force was last updated, the backend's load time and the compatibility ranges
// (issue 13 item 3).
let app: TestApp | undefined;
afterEach(async () => {
  await app?.close();
  app = undefined;
});

const diagnostics = async (a: TestApp, name: string) =>
  (await call(a, 'GET', `/api/plugins/${name}/diagnostics`)).json() as PluginDiagnosticsAnswer;

test('an update through the API: its time, the version it replaced, the ranges; a folder: when it changed', async () => {
  app = await startTestApp({
    features: [createSandboxFeature()],
    env: { PLUGINS_WATCH: 'false' },
    prepare: withFixtures('versioned'),
  });
  const a = app;
  expect((await postZip(a, '/api/plugins/install', pluginZip('owners'))).statusCode).toBe(201);
  const before = Date.now();
  const updated = await postZip(a, '/api/plugins/owners/update', pluginZip('owners', { version: '1.1.0' }));
  expect(updated.json().status, updated.body).toBe('activated');
  const owners = (await diagnostics(a, 'owners')).versionFacts;
  expect(owners).toMatchObject({
    version: '1.1.0',
    updatedBy: 'installer',
    previousVersion: '1.0.0',
    compatibility: {
      workbench: '^0.1.0',
      pluginApi: 1,
      server: { workbench: appVersion(), pluginApi: [1] },
      fits: true,
    },
  });
  expect(Date.parse(owners.updatedAt!)).toBeGreaterThanOrEqual(before - 1000);

  await approve(a, 'versioned');
  const versioned = await eventually('the backend to be active', async () => {
    const d = await diagnostics(a, 'versioned');
    return d.state === 'active' ? d : undefined;
  });
  const manifest = path.join(a.dir, 'plugins', 'versioned', 'manifest.json');
  expect(versioned.versionFacts).toMatchObject({
    version: '1.0.0',
    updatedBy: 'folder',
    updatedAt: statSync(manifest).mtime.toISOString(),
    previousVersion: null,
  });
  // The backend's load time: when it last became active, and how long `activate(host)` took.
  expect(versioned.activationMs).toBeGreaterThan(0);
  expect(Date.parse(versioned.lastActivatedAt!)).toBeGreaterThan(0);
}, 60_000);
