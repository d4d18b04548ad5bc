import { cpSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { testManifest } from '../../shared/testing/manifests.ts';
import { generateSigningKey } from '@dbt-workbench/plugin-sdk/node/keys';
import { signPluginDirectory } from '@dbt-workbench/plugin-sdk/node/sign';
import { startTestApp, type TestApp } from '../testing/test-app.ts';
import { createSandboxFeature } from './feature.ts';
import { approve, callExt, eventually, withFixtures } from './testing.ts';

// A signed backend runs from the copy the server checked against its signature: a file rewritten in the plugin's
// live folder afterwards never runs, even before the watcher notices and refuses the package.

const team = generateSigningKey('Data team');
const backendSaying = (words: string) =>
  `export async function activate(host) {\n` +
  `  await host.routes.register('GET', '/where', () => ({ body: { says: '${words}', file: new URL(import.meta.url).pathname } }));\n` +
  `}\n`;
let app: TestApp;
let signed: string;

beforeAll(async () => {
  signed = path.join(mkdtempSync(path.join(os.tmpdir(), 'wb-signed-')), 'signed-where');
  mkdirSync(path.join(signed, 'backend'), { recursive: true });
  writeFileSync(
    path.join(signed, 'manifest.json'),
    JSON.stringify(testManifest('signed-where', { capabilities: ['extend-api'], backend: { entry: 'index.mjs' } })),
  );
  writeFileSync(path.join(signed, 'backend', 'index.mjs'), backendSaying('signed'));
  await signPluginDirectory(signed, team.privateKey);
  app = await startTestApp({
    features: [createSandboxFeature({})],
    prepare: (dir) => {
      withFixtures()(dir);
      cpSync(signed, path.join(dir, 'plugins', 'signed-where'), { recursive: true });
    },
  });
  const trusted = await app.server.inject({
    method: 'POST',
    url: '/api/signing-keys',
    headers: { cookie: app.adminCookie },
    payload: { name: 'Data team', publicKey: team.publicKey.publicKey },
  });
  expect(trusted.statusCode).toBe(201);
  await approve(app, 'signed-where');
}, 30_000);
afterAll(() => app?.close());

test('a signed backend runs from its verified snapshot, and a file changed in its folder never runs', async () => {
  const first = await eventually('the signed backend to answer', async () => {
    const response = await callExt(app, '/api/ext/signed-where/where');
    return response.statusCode === 200 ? (response.json() as { says: string; file: string }) : undefined;
  });
  expect(first.says).toBe('signed');
  expect(first.file.startsWith(path.join(app.dir, 'data', 'plugin-snapshots', 'signed-where') + path.sep)).toBe(true);

  writeFileSync(path.join(app.dir, 'plugins', 'signed-where', 'backend', 'index.mjs'), backendSaying('tampered'));
  const answers: string[] = [];
  await eventually('the changed package to be refused', async () => {
    const response = await callExt(app, '/api/ext/signed-where/where');
    if (response.statusCode === 200) answers.push((response.json() as { says: string }).says);
    const detail = await app.server.inject({ url: '/api/plugins/signed-where', headers: { cookie: app.adminCookie } });
    const { state, reason } = detail.json() as { state: string; reason?: string };
    return state === 'invalid' ? reason : undefined;
  });
  expect(answers.filter((said) => said !== 'signed')).toEqual([]);
  expect((await callExt(app, '/api/ext/signed-where/where')).statusCode).toBe(404);
});
