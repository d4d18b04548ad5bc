import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startTestApp, type TestApp } from '../testing/test-app.ts';
import { createSandboxFeature, pluginBackendsOf } from './feature.ts';
import { approve, callExt, diagnosticsOf, eventually, withFixtures } from './testing.ts';

let app: TestApp;
const buildFile = () => path.join(app.dir, 'plugins', 'versioned', 'backend', 'build.ts');
const current = async () => (await callExt(app, '/api/ext/versioned/build')).json() as { build: number; pid: number };

beforeAll(async () => {
  app = await startTestApp({ features: [createSandboxFeature()], prepare: withFixtures('versioned', 'echo') });
  await approve(app, 'versioned');
  await approve(app, 'echo');
  await eventually('versioned', async () =>
    (await callExt(app, '/api/ext/versioned/build')).statusCode === 200 ? true : undefined,
  );
}, 30_000);
afterAll(() => app?.close());

describe('supervision and hot swap', () => {
  test('a crash fails only the call in flight; the plugin is back right after', async () => {
    const before = await current();
    const crash = await callExt(app, '/api/ext/versioned/crash');
    expect(crash.statusCode).toBe(502);
    expect(crash.json().error.message).toMatch(/stopped during the call: crashed: uncaught Error: asked to crash/);
    const after = await eventually('a new process', async () => {
      const r = await callExt(app, '/api/ext/versioned/build');
      return r.statusCode === 200 ? (r.json() as { pid: number }) : undefined;
    });
    expect(after.pid).not.toBe(before.pid);
    const diagnostics = await diagnosticsOf(app, 'versioned');
    expect(diagnostics).toMatchObject({ state: 'active', crashes: 1, restarts: 1 });
    expect(diagnostics.recentCrashes[0]!.reason).toMatch(/asked to crash/);
  });

  test('a new build starts beside the old; calls in flight finish on the old, new calls go to the new', async () => {
    const old = await current();
    const inFlight = callExt(app, '/api/ext/versioned/slow?ms=1200');
    await new Promise((resolve) => setTimeout(resolve, 100));
    writeFileSync(buildFile(), 'export const build = 2;\n');
    const next = await eventually('build 2 to serve', async () => {
      const now = await current();
      return now.build === 2 ? now : undefined;
    });
    expect(next.pid).not.toBe(old.pid);
    const finished = await inFlight;
    expect(finished.statusCode).toBe(200);
    expect(finished.json()).toEqual({ build: old.build, pid: old.pid });
    const events = (await diagnosticsOf(app, 'versioned')).events.map((e) => e.type);
    expect(events).toContain('swap');
  });

  test('a broken build is refused: the old build keeps serving, and diagnostics say why', async () => {
    const serving = await current();
    writeFileSync(buildFile(), "export const build = 4;\nthrow new Error('this build is broken');\n");
    const failed = await eventually('the failed swap', async () => {
      const d = await diagnosticsOf(app, 'versioned');
      return d.events.find((e) => e.type === 'activate-failed');
    });
    expect(failed.message).toMatch(/did not start .*this build is broken.*still serves/);
    expect(await current()).toEqual(serving);
    expect((await diagnosticsOf(app, 'versioned')).state).toBe('active');
    writeFileSync(buildFile(), 'export const build = 3;\n');
    await eventually('build 3 to serve', async () => ((await current()).build === 3 ? true : undefined));
  });

  test('the registry side reads backend states and calls in flight (what remove needs for its 409)', async () => {
    const view = pluginBackendsOf(app.plugins)!;
    expect(view.state('versioned')).toEqual({ state: 'active' });
    expect(view.state('not-a-plugin')).toEqual({ state: 'none' });
    const slow = callExt(app, '/api/ext/versioned/slow?ms=300');
    await eventually('a call in flight', () => (view.inFlight('versioned') === 1 ? true : undefined));
    expect((await slow).statusCode).toBe(200);
    expect(view.inFlight('versioned')).toBe(0);
  });

  test('the other plugin never noticed', async () => {
    expect((await callExt(app, '/api/ext/echo/echo')).statusCode).toBe(200);
    expect((await diagnosticsOf(app, 'echo')).starts).toBe(1);
  });
});
