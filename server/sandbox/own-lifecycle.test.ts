import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { startTestApp, type TestApp } from '../testing/test-app.ts';
import { createSandboxFeature, pluginBackendsOf } from './feature.ts';
import { diagnosticsOf, eventually, withFixtures } from './testing.ts';

// Lifecycle events reach the plugin itself (issue 13 item 5): a real backend (the lifecycle-recorder fixture) writes
// what it receives to its data folder.
const NAME = 'lifecycle-recorder';
let app: TestApp | undefined;
afterEach(async () => {
  await app?.close();
  app = undefined;
});

interface Seen {
  event: string;
  payload?: Record<string, unknown>;
  pid: number;
  running: string;
}

const dataDir = (a: TestApp) => path.join(a.context.settings.dataDirectory, 'plugins', NAME);
function seen(a: TestApp): Seen[] {
  const file = path.join(dataDir(a), 'events.jsonl');
  if (!existsSync(file)) return [];
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as Seen);
}
const events = (a: TestApp) => seen(a).filter((s) => s.event !== 'activate');
const until = (a: TestApp, what: string, count: number) =>
  eventually(`${count} × ${what}`, () => (seen(a).filter((s) => s.event === what).length >= count ? true : undefined));

async function started(env: Record<string, string> = {}): Promise<TestApp> {
  const a = await startTestApp({
    features: [createSandboxFeature()],
    env: { PLUGINS_WATCH: 'false', ...env },
    prepare: withFixtures(NAME),
  });
  app = a;
  await until(a, 'on-plugin-load', 1);
  return a;
}

async function asAdmin(a: TestApp, url: string) {
  const response = await a.server.inject({ method: 'POST', url, headers: { cookie: a.adminCookie } });
  expect(response.statusCode, response.body).toBe(200);
}

function setVersion(a: TestApp, version: string) {
  const file = path.join(a.dir, 'plugins', NAME, 'manifest.json');
  writeFileSync(file, JSON.stringify({ ...JSON.parse(readFileSync(file, 'utf8')), version }));
}

describe('lifecycle events reach the plugin itself', () => {
  test('on-plugin-load at server start, once its process answers; again when enabled after a disable', async () => {
    const a = await started();
    const [load] = events(a);
    expect(load).toMatchObject({ event: 'on-plugin-load', payload: { plugin: NAME, version: '1.0.0' } });
    expect(load!.pid).toBe(pluginBackendsOf(a.plugins)!.pid(NAME));

    await asAdmin(a, `/api/plugins/${NAME}/disable`);
    await until(a, 'on-plugin-unload', 1);
    await asAdmin(a, `/api/plugins/${NAME}/enable`);
    await until(a, 'on-plugin-load', 2);
    expect(events(a).map((e) => e.event)).toEqual([
      'on-plugin-load',
      'on-plugin-unload',
      'cleaned-up',
      'on-plugin-load',
    ]);
  }, 30_000);

  test('on-plugin-update with both versions reaches the new version, and a rollback the same way', async () => {
    const a = await started();
    setVersion(a, '1.1.0');
    await a.plugins.refresh();
    await until(a, 'on-plugin-update', 1);
    setVersion(a, '1.0.0');
    await a.plugins.refresh();
    await until(a, 'on-plugin-update', 2);
    const updates = events(a).filter((e) => e.event === 'on-plugin-update');
    expect(updates.map((u) => [u.payload, u.running])).toEqual([
      [{ plugin: NAME, from: '1.0.0', to: '1.1.0' }, '1.1.0'],
      [{ plugin: NAME, from: '1.1.0', to: '1.0.0' }, '1.0.0'],
    ]);
    // A new version is not loaded again, and a swap does not unload: the plugin stayed active throughout.
    expect(
      events(a)
        .filter((e) => e.event !== 'on-plugin-update')
        .map((e) => e.event),
    ).toEqual(['on-plugin-load']);
  }, 30_000);

  test('on-plugin-unload gets time to clean up before the process stops', async () => {
    const a = await started();
    writeFileSync(path.join(dataDir(a), 'cleanup-ms'), '1500');
    const pid = pluginBackendsOf(a.plugins)!.pid(NAME)!;
    await asAdmin(a, `/api/plugins/${NAME}/disable`);
    await until(a, 'cleaned-up', 1);
    const last = events(a).slice(-2);
    expect(last.map((e) => [e.event, e.pid])).toEqual([
      ['on-plugin-unload', pid],
      ['cleaned-up', pid],
    ]);
    expect(last[0]!.payload).toEqual({ plugin: NAME, version: '1.0.0' });
    await eventually('the process to stop', () => (alive(pid) ? undefined : true));
  }, 30_000);

  test('cleaning up is bounded by PLUGIN_DRAIN_MS: past it the process is stopped, and the failure recorded', async () => {
    const a = await started({ PLUGIN_DRAIN_MS: '400' });
    writeFileSync(path.join(dataDir(a), 'cleanup-ms'), '60000');
    const pid = pluginBackendsOf(a.plugins)!.pid(NAME)!;
    const begun = Date.now();
    await asAdmin(a, `/api/plugins/${NAME}/disable`);
    await eventually('the process to stop', () => (alive(pid) ? undefined : true));
    expect(Date.now() - begun).toBeLessThan(4000);
    expect(events(a).at(-1)?.event).toBe('on-plugin-unload');
    const calls = (await diagnosticsOf(a, NAME)).calls.find((c) => c.name === 'on-plugin-unload');
    expect(calls).toMatchObject({ kind: 'event', count: 1 });
    expect(calls!.errors + calls!.timeouts).toBe(1);
  }, 30_000);
});

test('at server shutdown on-plugin-unload gets at most 1 s to clean up', async () => {
  const a = await started();
  writeFileSync(path.join(dataDir(a), 'cleanup-ms'), '200');
  app = undefined;
  // The server's own stop, as on SIGTERM; its folder is read before it is removed.
  await a.server.close();
  expect(events(a).map((e) => e.event)).toEqual(['on-plugin-load', 'on-plugin-unload', 'cleaned-up']);
  rmSync(a.dir, { recursive: true, force: true });

  const b = await started();
  writeFileSync(path.join(dataDir(b), 'cleanup-ms'), '60000');
  const begun = Date.now();
  app = undefined;
  await b.server.close();
  expect(Date.now() - begun).toBeLessThan(5000);
  expect(events(b).at(-1)?.event).toBe('on-plugin-unload');
  rmSync(b.dir, { recursive: true, force: true });
}, 60_000);

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
