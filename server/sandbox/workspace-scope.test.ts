import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createCatalogFeature } from '../catalog/feature.ts';
import { createCatalogService } from '../catalog/service.ts';
import { copyArtifacts } from '../catalog/test-data.ts';
import { catalogIndexSource } from '../lineage/catalog-source.ts';
import { createLineageFeature } from '../lineage/feature.ts';
import { createLineageService } from '../lineage/service.ts';
import { startTestApp, type TestApp } from '../testing/test-app.ts';
import { createSandboxFeature } from './feature.ts';
import { approve, callExt, diagnosticsOf, eventually, withFixtures } from './testing.ts';

// A backend sees only the workspaces where its plugin is enabled. `workspace-peeker` is enabled in `alpha` and
// disabled in `beta`, both with artifacts; it tries every channel: artifacts, events, hook points, host calls and
// its own routes. One test per channel, then the enablement changes and its process follows.

const PLUGIN = 'workspace-peeker';
let app: TestApp;
const manifestOf = (workspace: string) => path.join(app.dir, 'workspaces', workspace, 'target', 'manifest.json');
const seen = async () =>
  (await callExt(app, `/api/ext/${PLUGIN}/seen`, { workspace: 'alpha' })).json() as {
    channel: string;
    workspace: string;
  }[];
const setEnabled = (workspace: string, enabled: boolean) =>
  app.server.inject({
    method: 'PUT',
    url: `/api/plugins/${PLUGIN}/workspaces/${workspace}`,
    headers: { cookie: app.adminCookie },
    payload: { enabled },
  });
const workspacesSeen = async () =>
  (await callExt(app, `/api/ext/${PLUGIN}/workspaces`, { workspace: 'alpha' })).json() as {
    pid: number;
    workspaces: { name: string; targetDir?: string }[];
  };

beforeAll(async () => {
  const catalog = createCatalogService({ watch: false });
  const lineage = createLineageService({ source: catalogIndexSource(catalog) });
  app = await startTestApp({
    workspaces: [{ name: 'alpha' }, { name: 'beta' }],
    features: [
      createCatalogFeature(catalog),
      createLineageFeature(lineage),
      createSandboxFeature({ catalog, lineage }),
    ],
    prepare: (dir) => {
      withFixtures(PLUGIN)(dir);
      for (const w of ['alpha', 'beta']) copyArtifacts('classic', path.join(dir, 'workspaces', w, 'target'));
    },
  });
  await approve(app, PLUGIN);
  expect((await setEnabled('beta', false)).statusCode).toBe(200);
  await eventually('the peeker to serve in alpha with alpha only', async () => {
    const r = await callExt(app, `/api/ext/${PLUGIN}/workspaces`, { workspace: 'alpha' });
    return r.statusCode === 200 && r.json().workspaces.length === 1 ? true : undefined;
  });
}, 30_000);
afterAll(() => app?.close());

describe('a backend sees only the workspaces where its plugin is enabled', () => {
  test('routes: a call in the disabled workspace is a 404, as if nothing were there', async () => {
    expect((await callExt(app, `/api/ext/${PLUGIN}/seen`, { workspace: 'alpha' })).statusCode).toBe(200);
    const beta = await callExt(app, `/api/ext/${PLUGIN}/seen`, { workspace: 'beta' });
    expect(beta.statusCode).toBe(404);
    expect(beta.json().error.code).toBe('not_found');
  });

  test("artifacts: it is told of alpha only, and reading beta's manifest.json is refused and recorded", async () => {
    const { workspaces } = await workspacesSeen();
    expect(workspaces).toEqual([
      { name: 'alpha', title: expect.any(String), targetDir: path.join(app.dir, 'workspaces', 'alpha', 'target') },
    ]);
    const own = await callExt(app, `/api/ext/${PLUGIN}/read?path=${encodeURIComponent(manifestOf('alpha'))}`, {
      workspace: 'alpha',
    });
    expect(own.statusCode).toBe(200);
    const escape = await callExt(app, `/api/ext/${PLUGIN}/read?path=${encodeURIComponent(manifestOf('beta'))}`, {
      workspace: 'alpha',
    });
    expect(escape.statusCode).toBe(502);
    expect(escape.body).not.toContain('"bytes"');
    const rejected = (await diagnosticsOf(app, PLUGIN)).rejectedActions.map((r) => r.message).join('\n');
    expect(rejected).toContain(`FileSystemRead ${manifestOf('beta')}`);
  });

  const refresh = async () =>
    expect((await callExt(app, `/api/ext/${PLUGIN}/refresh`, { workspace: 'alpha', method: 'POST' })).statusCode).toBe(
      202,
    );
  const count = async (channel: string, workspace: string) =>
    (await seen()).filter((s) => s.channel === channel && s.workspace === workspace).length;
  /** Waits for `channel` to be seen once more in alpha, then a little longer: beta must never show up. */
  async function onlyAlpha(channel: string, act: () => Promise<unknown>): Promise<void> {
    const before = await count(channel, 'alpha');
    await act();
    await eventually(`${channel} in alpha`, async () => ((await count(channel, 'alpha')) > before ? true : undefined));
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(await count(channel, 'beta')).toBe(0);
  }

  test('host calls: metadata.refresh() reruns its enrichers and search documents for alpha only', async () => {
    await onlyAlpha('artifact-load', refresh);
    expect(await count('search-index', 'alpha')).toBeGreaterThan(0);
    expect(await count('search-index', 'beta')).toBe(0);
  });

  test('hook points: lineage built in both workspaces reaches its overlay in alpha only', async () => {
    await onlyAlpha('lineage-build', async () => {
      for (const workspace of ['alpha', 'beta']) {
        const lineage = await app.server.inject({
          url: `/api/workspaces/${workspace}/lineage`,
          headers: { cookie: app.adminCookie },
        });
        expect(lineage.statusCode).toBe(200);
      }
    });
  });

  test('events: catalog refreshes of both workspaces are delivered for alpha only', async () => {
    await onlyAlpha('on-catalog-refresh', refresh);
    expect(await count('on-artifact-load', 'beta')).toBe(0);
    expect((await seen()).filter((s) => s.workspace !== 'alpha')).toEqual([]);
  });

  test('enabling it in beta starts a process that sees beta; disabling it there takes beta away again', async () => {
    const before = await workspacesSeen();
    expect((await setEnabled('beta', true)).statusCode).toBe(200);
    const both = await eventually('a process that sees beta', async () => {
      const now = await workspacesSeen();
      return now.workspaces.length === 2 ? now : undefined;
    });
    expect(both.pid).not.toBe(before.pid);
    const read = await callExt(app, `/api/ext/${PLUGIN}/read?path=${encodeURIComponent(manifestOf('beta'))}`, {
      workspace: 'beta',
    });
    expect(read.statusCode).toBe(200);
    // The channels that stayed silent for beta were not silent by accident: enabled there, it hears beta.
    await refresh();
    await eventually('events and hooks in beta', async () =>
      (await count('on-catalog-refresh', 'beta')) > 0 && (await count('artifact-load', 'beta')) > 0 ? true : undefined,
    );

    expect((await setEnabled('beta', false)).statusCode).toBe(200);
    await eventually('a process without beta', async () =>
      (await workspacesSeen()).workspaces.length === 1 ? true : undefined,
    );
    const again = await callExt(app, `/api/ext/${PLUGIN}/read?path=${encodeURIComponent(manifestOf('beta'))}`, {
      workspace: 'alpha',
    });
    expect(again.statusCode).toBe(502);
    expect((await callExt(app, `/api/ext/${PLUGIN}/seen`, { workspace: 'beta' })).statusCode).toBe(404);
  });
});
