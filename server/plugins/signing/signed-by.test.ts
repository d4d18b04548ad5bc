import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, expect, test } from 'vitest';
import { testManifest } from '../../../shared/testing/manifests.ts';
import type { PluginSummary } from '../../../shared/api.schema.ts';
import { startTestApp, type TestApp } from '../../testing/test-app.ts';
import { generateSigningKey } from '@dbt-workbench/plugin-sdk/node/keys';
import { signPluginDirectory } from '@dbt-workbench/plugin-sdk/node/sign';

let app: TestApp | undefined;
afterEach(async () => {
  await app?.close();
  app = undefined;
});

test('GET /api/plugins says who signed a trusted plugin, and why an unsigned one is refused under require', async () => {
  const key = generateSigningKey('Finance analytics');
  const signedDir: string[] = [];
  app = await startTestApp({
    env: { PLUGIN_SIGNATURES: 'require', PLUGIN_TRUSTED_KEYS: 'trusted.json' },
    prepare(dir) {
      writeFileSync(path.join(dir, 'trusted.json'), JSON.stringify([key.publicKey]));
      for (const name of ['finance-signed', 'finance-unsigned']) {
        mkdirSync(path.join(dir, 'plugins', name, 'backend'), { recursive: true });
        writeFileSync(
          path.join(dir, 'plugins', name, 'manifest.json'),
          JSON.stringify(testManifest(name, { backend: { entry: 'index.js' } })),
        );
        writeFileSync(path.join(dir, 'plugins', name, 'backend', 'index.js'), 'export function activate() {}\n');
      }
      signedDir.push(path.join(dir, 'plugins', 'finance-signed'));
    },
  });
  await signPluginDirectory(signedDir[0]!, key.privateKey);
  await app.plugins.refresh();
  const response = await app.server.inject({ url: '/api/plugins', headers: { cookie: app.adminCookie } });
  const plugins = (response.json() as { plugins: PluginSummary[] }).plugins;
  expect(plugins.find((p) => p.name === 'finance-signed')).toMatchObject({
    // Switched on: its backend may still be starting (`loading`).
    state: expect.stringMatching(/^(loading|active)$/),
    signedBy: `Finance analytics (key ${key.publicKey.keyId})`,
  });
  const unsigned = plugins.find((p) => p.name === 'finance-unsigned');
  expect(unsigned).toMatchObject({ state: 'invalid', reason: expect.stringContaining('not signed') });
  expect(unsigned?.signedBy).toBeUndefined();
});

test('a file changed after verification stops the plugin: the last good version does not keep running on the changed files', async () => {
  const key = generateSigningKey('Finance analytics');
  const dirs: string[] = [];
  app = await startTestApp({
    env: { PLUGIN_TRUSTED_KEYS: 'trusted.json' },
    prepare(dir) {
      writeFileSync(path.join(dir, 'trusted.json'), JSON.stringify([key.publicKey]));
      dirs.push(path.join(dir, 'plugins', 'finance'));
    },
  });
  const dir = dirs[0]!;
  mkdirSync(path.join(dir, 'backend'), { recursive: true });
  writeFileSync(
    path.join(dir, 'manifest.json'),
    JSON.stringify(testManifest('finance', { backend: { entry: 'index.js' } })),
  );
  writeFileSync(path.join(dir, 'backend', 'index.js'), 'export function activate() {}\n');
  await signPluginDirectory(dir, key.privateKey);
  await app.plugins.refresh();
  expect(app.plugins.get('finance')?.state).toBe('active');

  writeFileSync(path.join(dir, 'backend', 'index.js'), 'export function activate() { steal(); }\n');
  await app.plugins.refresh();
  const plugin = app.plugins.get('finance');
  expect(plugin).toMatchObject({ state: 'invalid', reason: expect.stringContaining('changed after it was signed') });
  expect(plugin?.reloadError).toBeUndefined();
});
