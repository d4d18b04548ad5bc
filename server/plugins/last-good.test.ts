import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { testRecord } from './test-records.ts';
import { testManifest } from '../../shared/testing/manifests.ts';
import { remoteNameFor } from '@dbt-workbench/plugin-sdk/contracts/versions';
import { startTestApp, type TestApp } from '../testing/test-app.ts';
import { reloadFailure, stillLastGood } from './last-good.ts';

const record = testRecord;

describe('reloadFailure', () => {
  const good = record('p');

  test('an invalid or broken new build falls back to the last good one, saying why', () => {
    const failure = reloadFailure(record('p', { state: 'invalid', reason: 'manifest.json is not valid JSON' }), good);
    expect(failure).toMatchObject({ state: 'invalid', reason: 'manifest.json is not valid JSON' });
  });

  test('an admin decision, a healthy new build or another folder is taken as it is', () => {
    expect(reloadFailure(record('p', { state: 'disabled' }), good)).toBeUndefined();
    expect(reloadFailure(record('p', { revision: '1.0.1-bbbbbbbbbb' }), good)).toBeUndefined();
    expect(reloadFailure(record('p', { state: 'invalid', directory: '/elsewhere' }), good)).toBeUndefined();
  });
});

describe('stillLastGood', () => {
  const good = record('p');

  test('the same build switched off stays the one to come back to; a new one or a removed folder does not', () => {
    expect(stillLastGood(record('p', { state: 'disabled', enabledWorkspaces: [] }), good)).toBe(true);
    expect(stillLastGood(record('p', { state: 'disabled', revision: '1.0.1-bbbbbbbbbb' }), good)).toBe(false);
    expect(stillLastGood(record('p', { state: 'incompatible' }), good)).toBe(false);
    expect(stillLastGood(undefined, good)).toBe(false);
    expect(stillLastGood(record('p', { state: 'invalid', directory: '/copy' }), good)).toBe(true);
  });
});

describe('a failed reload on disk', () => {
  let app: TestApp | undefined;
  afterEach(async () => {
    await app?.close();
    app = undefined;
  });

  test('keeps serving the old version, files included, and reports the failure', async () => {
    app = await startTestApp({
      env: { PLUGINS_WATCH: 'false' },
      prepare(dir) {
        const plugin = path.join(dir, 'plugins', 'steady');
        mkdirSync(path.join(plugin, 'frontend'), { recursive: true });
        const manifest = testManifest('steady', {
          frontend: {
            remote: 'mf-manifest.json',
            contributions: [{ slot: 'dashboard.widget', id: 'w', module: './W' }],
          },
        });
        writeFileSync(path.join(plugin, 'manifest.json'), JSON.stringify(manifest));
        writeFileSync(
          path.join(plugin, 'frontend', 'mf-manifest.json'),
          JSON.stringify({ name: remoteNameFor('steady'), exposes: [{ path: './W' }] }),
        );
        writeFileSync(path.join(plugin, 'frontend', 'remoteEntry.js'), 'var wb_steady = "version one";');
      },
    });
    const cookie = app.adminCookie;
    const entry = (await app.server.inject({ url: '/api/workspaces/default/extensions', headers: { cookie } })).json()
      .extensions[0].remote.entry as string;

    // A broken rebuild: the old chunks are gone and the manifest no longer parses.
    const plugin = path.join(app.dir, 'plugins', 'steady');
    rmSync(path.join(plugin, 'frontend'), { recursive: true });
    writeFileSync(path.join(plugin, 'manifest.json'), '{ "name": "steady", ');
    await app.plugins.refresh();

    const summary = (await app.server.inject({ url: '/api/plugins/steady', headers: { cookie } })).json();
    expect(summary.state).toBe('active');
    expect(summary.reloadError.reason).toContain('not valid JSON');
    const stillServed = await app.server.inject({
      url: entry.replace('mf-manifest.json', 'remoteEntry.js'),
      headers: { cookie },
    });
    expect(stillServed.statusCode).toBe(200);
    expect(stillServed.body).toContain('version one');
    const extensions = (
      await app.server.inject({ url: '/api/workspaces/default/extensions', headers: { cookie } })
    ).json();
    expect(extensions.extensions.map((e: { plugin: string }) => e.plugin)).toEqual(['steady']);
  });
});
