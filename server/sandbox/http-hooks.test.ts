import { mkdirSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { RemoteRegistrations } from '../../shared/backend-http.schema.ts';
import { testManifest } from '../../shared/testing/manifests.ts';
import { createCatalogFeature } from '../catalog/feature.ts';
import { createCatalogService } from '../catalog/service.ts';
import { copyArtifacts } from '../catalog/test-data.ts';
import { catalogIndexSource } from '../lineage/catalog-source.ts';
import { createLineageFeature } from '../lineage/feature.ts';
import { createLineageService } from '../lineage/service.ts';
import { runsFeature } from '../runs/feature.ts';
import { createRunService } from '../runs/service.ts';
import { startTestApp, type TestApp } from '../testing/test-app.ts';
import { createSandboxFeature } from './feature.ts';
import { identityHeaders, pluginKey, signedRequestOf, verify } from './signature.ts';
import { approve, callExt, diagnosticsOf, eventually } from './testing.ts';

// Independently deployed backends (`backend.url`) get lifecycle events and hooks over HTTP, with the checks,
// deadlines and signed identity headers of proxied routes. The backend is a small HTTP server started here.

const SECRET = 'a-test-secret-of-some-length';
const MODEL = 'model.jaffle_shop.customers';

interface Seen {
  plugin: string;
  method: string;
  url: string;
  verified: boolean;
  headers: Record<string, string>;
  body: { event?: string; point?: string; payload?: Record<string, any> } | null;
}

/** What each fake backend asks for; tests change it to act out a new deployment. */
const wanted: Record<string, RemoteRegistrations> = {
  'remote-hooks': {
    events: [{ event: 'on-run-complete' }, { event: 'on-plugin-update' }, { event: 'on-boot' }],
    hooks: [{ point: 'lineage-build' }, { point: 'run-complete' }, { point: 'artifact-load' }],
  },
  'remote-late': { events: [{ event: 'on-plugin-update' }], hooks: [] },
};
let lateIsUp = false;
const seen: Seen[] = [];
let backend: Server;
let app: TestApp;
const catalog = createCatalogService({ watch: false });
const lineage = createLineageService({ source: catalogIndexSource(catalog) });
const runs = createRunService({ graceMs: 200 });
const feature = createSandboxFeature(
  { catalog, lineage, runs },
  {
    policy: {
      initialBackoffMs: 50,
      maxBackoffMs: 200,
      crashes: 5,
      windowMs: 60_000,
      cooldownMs: 60_000,
      stableMs: 10_000,
    },
    remoteRefreshMs: 300,
  },
);

function startBackend(): Promise<number> {
  backend = createServer((request, response) => {
    let text = '';
    request.on('data', (chunk) => (text += chunk));
    request.on('end', () => {
      const plugin = (request.url ?? '').split('/')[1] ?? '';
      const signed = signedRequestOf(request, text);
      const verified = verify(pluginKey(SECRET, plugin), signed.facts, signed.signature);
      const body = text ? (JSON.parse(text) as Seen['body']) : null;
      seen.push({
        plugin,
        method: request.method ?? '',
        url: request.url ?? '',
        verified,
        headers: request.headers as Record<string, string>,
        body,
      });
      const json = (status: number, value?: unknown) => {
        response.writeHead(status, value === undefined ? {} : { 'content-type': 'application/json' });
        response.end(value === undefined ? undefined : JSON.stringify(value));
      };
      const rest = (request.url ?? '').slice(`/${plugin}`.length);
      if (!verified) return json(401, { error: 'bad signature' });
      if (rest === '/_workbench/registrations') {
        if (plugin === 'remote-late' && !lateIsUp) return json(503, { error: 'starting up' });
        return json(200, wanted[plugin]);
      }
      const payload = body?.payload ?? {};
      if (rest.startsWith('/_workbench/')) {
        if (payload.failIn === plugin) return json(500, { error: `${plugin} fails on purpose` });
        if (payload.slowIn === plugin) return void setTimeout(() => json(200, {}), 1500);
      }
      if (rest === '/_workbench/hooks/lineage-build') {
        const nodes = (payload.nodes ?? []) as { id: string; name: string }[];
        return json(200, {
          nodeBadges: nodes.filter((n) => n.name === 'customers').map((n) => ({ nodeId: n.id, label: 'remote' })),
        });
      }
      if (rest.startsWith('/_workbench/')) return json(204);
      return json(200, { route: rest });
    });
  });
  return new Promise((resolve) =>
    backend.listen(0, '127.0.0.1', () => resolve((backend.address() as AddressInfo).port)),
  );
}

beforeAll(async () => {
  const port = await startBackend();
  app = await startTestApp({
    env: { PLUGIN_BACKEND_SECRET: SECRET },
    workspaces: [{ name: 'shop', runCommand: ['/bin/true'] }, { name: 'other' }],
    features: [createCatalogFeature(catalog), createLineageFeature(lineage), runsFeature(runs), feature],
    prepare: (dir) => {
      copyArtifacts('classic', path.join(dir, 'workspaces', 'shop', 'target'));
      for (const name of Object.keys(wanted)) {
        mkdirSync(path.join(dir, 'plugins', name), { recursive: true });
        const manifest = testManifest(name, {
          capabilities: ['extend-api', 'read-metadata', 'modify-lineage', 'register-schedule-hooks'],
          backend: { url: `http://127.0.0.1:${port}/${name}`, limits: { timeoutMs: 500 } },
        });
        writeFileSync(path.join(dir, 'plugins', name, 'manifest.json'), JSON.stringify(manifest));
      }
    },
  });
  for (const name of Object.keys(wanted)) await approve(app, name);
}, 30_000);
afterAll(async () => {
  await app?.close();
  backend?.close();
});

const hostCalls = (plugin: string, suffix: string) =>
  seen.filter((s) => s.plugin === plugin && s.url === `/${plugin}/_workbench${suffix}`);
const emit = (payload: Record<string, unknown>, workspace?: string) =>
  feature.events()!.emit('on-plugin-update', { plugin: 'x', from: '1', to: '2', ...payload }, workspace);
const graph = async () =>
  (await app.server.inject({ url: '/api/workspaces/shop/lineage', headers: { cookie: app.adminCookie } })).json() as {
    overlays: Record<string, { nodeBadges: { nodeId: string; label: string }[] }>;
  };

describe('hooks and events delivered to an independently deployed backend', () => {
  test('it is asked, with a signed call, what it wants; what its capabilities do not cover is refused and shown', async () => {
    const diagnostics = await eventually('remote-hooks active', async () => {
      const d = await diagnosticsOf(app, 'remote-hooks');
      return d.state === 'active' ? d : undefined;
    });
    expect(diagnostics.kind).toBe('http');
    expect(diagnostics.registrations.sort()).toEqual([
      'event on-plugin-update',
      'event on-run-complete',
      'lineage-build',
      'run-complete',
    ]);
    expect(diagnostics.rejectedActions).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ action: 'register artifact-load', capability: 'write-metadata' }),
        expect.objectContaining({
          action: 'events.on on-boot',
          message: expect.stringMatching(/not a lifecycle event/),
        }),
      ]),
    );
    const asked = hostCalls('remote-hooks', '/registrations')[0]!;
    expect(asked).toMatchObject({ method: 'GET', verified: true });
    expect(asked.headers[identityHeaders.plugin]).toBe('remote-hooks');
    expect(asked.headers[identityHeaders.username]).toBe('');
    expect(asked.headers.cookie).toBeUndefined();
  });

  test('its lineage overlay comes with the graph', async () => {
    const overlay = (await graph()).overlays['remote-hooks'];
    expect(overlay?.nodeBadges).toEqual([expect.objectContaining({ nodeId: MODEL, label: 'remote' })]);
    const call = hostCalls('remote-hooks', '/hooks/lineage-build').at(-1)!;
    expect(call).toMatchObject({ method: 'POST', verified: true, body: { point: 'lineage-build' } });
    expect(call.headers[identityHeaders.workspace]).toBe('shop');
  });

  test('a run reaches its run-complete hook and its on-run-complete subscription, signed, with the workspace', async () => {
    const started = await app.server.inject({
      method: 'POST',
      url: '/api/workspaces/shop/runs',
      headers: { cookie: app.adminCookie },
    });
    const run = started.json() as { id: string };
    const [hook, event] = await eventually('both deliveries', () => {
      const mine = (suffix: string) =>
        hostCalls('remote-hooks', suffix).find((s) => s.body?.payload?.run?.id === run.id);
      const pair = [mine('/hooks/run-complete'), mine('/events/on-run-complete')];
      return pair[0] && pair[1] ? ([pair[0], pair[1]] as const) : undefined;
    });
    expect(hook).toMatchObject({ verified: true, body: { point: 'run-complete', payload: { status: 'success' } } });
    expect(event).toMatchObject({ verified: true, body: { event: 'on-run-complete', payload: { workspace: 'shop' } } });
    expect(event.headers[identityHeaders.workspace]).toBe('shop');
    expect(event.headers[identityHeaders.role]).toBe('');
    // Counted once the answer is back, a moment after the backend saw the call.
    const calls = await eventually('both calls counted', async () => {
      const list = (await diagnosticsOf(app, 'remote-hooks')).calls;
      return list.some((c) => c.name === 'on-run-complete') ? list : undefined;
    });
    expect(calls.find((c) => c.name === 'run-complete')).toMatchObject({ kind: 'hook', errors: 0 });
    expect(calls.find((c) => c.name === 'on-run-complete')).toMatchObject({ kind: 'event', errors: 0 });
  });

  test('a failure or a timeout is recorded and stops neither the others nor the core action', async () => {
    await eventually('remote-late up', async () => {
      lateIsUp = true;
      return (await diagnosticsOf(app, 'remote-late')).state === 'active' ? true : undefined;
    });
    const failed = await emit({ failIn: 'remote-hooks' });
    expect(failed.find((o) => o.plugin === 'remote-hooks')).toMatchObject({
      ok: false,
      error: expect.stringMatching(/answered 500: .*remote-hooks fails on purpose/),
    });
    expect(failed.find((o) => o.plugin === 'remote-late')).toMatchObject({ ok: true });

    const before = Date.now();
    const slow = await emit({ slowIn: 'remote-hooks' });
    expect(Date.now() - before).toBeLessThan(1400);
    expect(slow.find((o) => o.plugin === 'remote-hooks')!.error).toMatch(/within 500 ms/);
    expect(slow.find((o) => o.plugin === 'remote-late')).toMatchObject({ ok: true });
    const stats = (await diagnosticsOf(app, 'remote-hooks')).calls.find((c) => c.name === 'on-plugin-update');
    expect(stats).toMatchObject({ count: 2, errors: 1, timeouts: 1 });
    // The lineage answer does not wait past the deadline either, and still comes.
    const started = Date.now();
    expect((await graph()).overlays['remote-hooks']).toBeDefined();
    expect(Date.now() - started).toBeLessThan(1400);
  });

  test('events of a workspace reach it only while it is enabled there; disabled, it gets nothing', async () => {
    const toggle = (payload: { enabled: boolean | null }) =>
      app.server.inject({
        method: 'PUT',
        url: '/api/plugins/remote-hooks/workspaces/other',
        headers: { cookie: app.adminCookie },
        payload,
      });
    await toggle({ enabled: false });
    expect((await emit({}, 'other')).map((o) => o.plugin)).toEqual(['remote-late']);
    await toggle({ enabled: null });
    expect((await emit({}, 'other')).map((o) => o.plugin).sort()).toEqual(['remote-hooks', 'remote-late']);

    const admin = { headers: { cookie: app.adminCookie } };
    await app.server.inject({ method: 'POST', url: '/api/plugins/remote-hooks/disable', ...admin });
    await eventually('overlay gone', async () => ((await graph()).overlays['remote-hooks'] ? undefined : true));
    expect((await emit({})).map((o) => o.plugin)).toEqual(['remote-late']);
    await app.server.inject({ method: 'POST', url: '/api/plugins/remote-hooks/enable', ...admin });
    await eventually('overlay back', async () => ((await graph()).overlays['remote-hooks'] ? true : undefined));
  });

  test('users cannot reach the paths only the server calls, however they spell them', async () => {
    // Only the server's own GET of the registrations may reach the backend meanwhile.
    const reached = () => seen.filter((s) => s.method !== 'GET').length;
    const before = reached();
    for (const url of [
      '/api/ext/remote-hooks/_workbench/events/on-run-complete',
      '/api/ext/remote-hooks/_WORKBENCH/registrations',
      '/api/ext/remote-hooks/x/../_workbench/registrations',
      '/api/ext/remote-hooks/%5Fworkbench/registrations',
      '/api/ext/remote-hooks/x/%2e%2e/_workbench/registrations',
      '/api/ext/remote-hooks/https:/evil.example/steal',
    ]) {
      const response = await callExt(app, url, { workspace: 'shop', method: 'POST', payload: { event: 'x' } });
      expect([url, response.statusCode]).toEqual([url, 404]);
    }
    expect(reached()).toBe(before);
    const route = await callExt(app, '/api/ext/remote-hooks/notes?x=1', { workspace: 'shop' });
    expect(route.json()).toEqual({ route: '/notes?x=1' });
  });
});

describe('following an independently deployed backend', () => {
  test('unreachable at first it waits, with the reason in diagnostics (covered above: remote-late came up)', async () => {
    const events = (await diagnosticsOf(app, 'remote-late')).events.map((e) => `${e.type}: ${e.message}`);
    expect(events.some((e) => /^activate-failed: cannot read its registrations: .*answered 503/.test(e))).toBe(true);
    expect(events.some((e) => e.startsWith('activated: '))).toBe(true);
  });

  test('a new deployment that asks for other things is followed without a restart of the server', async () => {
    wanted['remote-hooks'] = { events: [{ event: 'on-run-complete' }], hooks: [] };
    await eventually('the new registrations', async () => {
      const d = await diagnosticsOf(app, 'remote-hooks');
      return d.registrations.join() === 'event on-run-complete' ? true : undefined;
    });
    expect((await graph()).overlays['remote-hooks']).toBeUndefined();
    expect((await emit({})).map((o) => o.plugin)).toEqual(['remote-late']);
  });
});
