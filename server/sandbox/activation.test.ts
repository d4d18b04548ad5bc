import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pino } from 'pino';
import { afterEach, describe, expect, test } from 'vitest';
import { buildApp } from '../app.ts';
import { loadSettings } from '../settings.ts';
import { testManifest } from '../../shared/testing/manifests.ts';
import { writeBackendPlugin } from '../testing/backend-plugin.ts';
import { startTestApp, TEST_ADMIN, type TestApp } from '../testing/test-app.ts';
import { createSandboxFeature, pluginBackendsOf, type SandboxFeature } from './feature.ts';
import type { ToolCallResult } from '../../shared/tools.schema.ts';
import { callTool, startToolsApp } from '../tools/testing.ts';
import { callExt, diagnosticsOf, eventually } from './testing.ts';

// Backends start when first needed and stop when idle (issue 14 item 5): real child processes, a real SQLite file,
// the server restarted on the same data folder as an operator's would be.

/** A realistic small backend: routes over its data folder, an event handler, its own lifecycle written down. */
const BACKEND = `
import { appendFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

export async function activate(host) {
  if (existsSync(path.join(host.dataDir, 'refuse-start'))) throw new Error('refusing to start: refuse-start is set');
  const log = (entry) => appendFileSync(path.join(host.dataDir, 'log.jsonl'), JSON.stringify({ ...entry, pid: process.pid }) + '\\n');
  log({ event: 'activate' });
  await host.routes.register('GET', '/pid', () => ({ body: { pid: process.pid } }));
  await host.routes.register('PUT', '/note', (request) => {
    writeFileSync(path.join(host.dataDir, 'note.txt'), String(request.body.text));
    return { body: { saved: true } };
  });
  await host.routes.register('GET', '/note', () => ({ body: { text: readFileSync(path.join(host.dataDir, 'note.txt'), 'utf8') } }));
  await host.events.on('on-run-complete', (payload) => log({ event: 'on-run-complete', run: payload.run }));
  await host.events.on('on-plugin-unload', () => log({ event: 'on-plugin-unload' }));
}
`;

const MANIFEST = {
  description: 'Starts when first needed.',
  capabilities: ['extend-api', 'read-metadata'],
  backend: { entry: 'index.mjs', limits: { timeoutMs: 5000 } },
};

function writePlugins(dir: string, count: number): string[] {
  const names = Array.from({ length: count }, (_, i) => `lazy-${i + 1}`);
  for (const name of names) writeBackendPlugin(path.join(dir, 'plugins'), testManifest(name, MANIFEST), BACKEND);
  return names;
}

interface Booted {
  app: TestApp;
  feature: SandboxFeature;
}

const ENV = { PLUGINS_WATCH: 'false', PLUGIN_AUTO_APPROVE: 'extend-api,read-metadata' };
const running: TestApp[] = [];
const folders: string[] = [];
afterEach(async () => {
  for (const app of running.splice(0)) await app.server.close();
  for (const dir of folders.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A first server on a fresh folder with `count` backend plugins (approved by the server's policy). */
async function firstBoot(count: number, env: Record<string, string> = {}): Promise<Booted & { names: string[] }> {
  let names: string[] = [];
  const feature = createSandboxFeature();
  const app = await startTestApp({
    features: [feature],
    env: { ...ENV, ...env },
    prepare: (dir) => (names = writePlugins(dir, count)),
  });
  running.push(app);
  folders.push(app.dir);
  return { app, feature, names };
}

/** The server started again on the same folder and database, after the first one stopped. */
async function reboot(previous: TestApp, env: Record<string, string> = {}): Promise<Booted> {
  await previous.server.close();
  running.splice(running.indexOf(previous), 1);
  const feature = createSandboxFeature();
  const settings = loadSettings(
    {
      PLUGINS_DIRECTORY: 'plugins',
      SHELL_DIST_DIR: 'no-shell',
      WORKBENCH_DATA_DIR: 'data',
      WORKBENCH_ADMIN_USERNAME: TEST_ADMIN.username,
      WORKBENCH_ADMIN_PASSWORD: TEST_ADMIN.password,
      ...ENV,
      ...env,
    },
    previous.dir,
  );
  const built = await buildApp(settings, pino({ level: 'silent' }), { features: [feature], print: () => {} });
  const app: TestApp = { ...previous, ...built, dir: previous.dir, adminCookie: await login(built) };
  running.push(app);
  return { app, feature };
}

async function login(app: Pick<TestApp, 'server'>): Promise<string> {
  const response = await app.server.inject({ method: 'POST', url: '/api/auth/login', payload: TEST_ADMIN });
  const cookie = response.cookies.find((c) => c.name === 'wb_session');
  if (!cookie) throw new Error(`login failed: ${response.statusCode}`);
  return `wb_session=${cookie.value}`;
}

const backends = (app: TestApp) => pluginBackendsOf(app.plugins)!;
const logOf = (app: TestApp, name: string): { event: string; pid: number; run?: unknown }[] => {
  const file = path.join(app.context.settings.dataDirectory, 'plugins', name, 'log.jsonl');
  if (!existsSync(file)) return [];
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as { event: string; pid: number });
};
const state = (app: TestApp, name: string) => backends(app).state(name).state;
const until = <T>(what: string, check: () => T | undefined, ms = 15_000) => eventually(what, check, ms);

describe('backends start when first needed', () => {
  test('a server whose backends ran before is ready without starting any; the first route call starts one and is answered', async () => {
    const { app, names } = await firstBoot(4);
    // Their first run, at approval, records what each registers.
    await until('every backend to run once', () => (names.every((n) => state(app, n) === 'active') ? true : undefined));
    const again = (await reboot(app)).app;
    const plugins = await again.server.inject({ url: '/api/plugins', headers: { cookie: again.adminCookie } });
    const listed = (plugins.json() as { plugins: { name: string; state: string; backendIdle?: object }[] }).plugins;
    // Active, and the card can say its backend starts on first use.
    expect(listed.filter((p) => names.includes(p.name)).map((p) => [p.state, p.backendIdle])).toEqual(
      names.map(() => ['active', {}]),
    );
    for (const name of names) {
      expect(state(again, name)).toBe('idle');
      expect(backends(again).pid(name)).toBeUndefined();
    }
    const diagnostics = await diagnosticsOf(again, names[0]!);
    expect(diagnostics).toMatchObject({ state: 'idle', reason: 'it starts on first use' });
    // Known without running: its routes and its event, from the run before.
    expect(diagnostics.registrations).toEqual(
      expect.arrayContaining(['GET /pid', 'PUT /note', 'event on-run-complete']),
    );
    const activationsBefore = logOf(again, names[0]!).filter((e) => e.event === 'activate').length;

    // Concurrent first calls start it once.
    const answers = await Promise.all([1, 2, 3].map(() => callExt(again, `/api/ext/${names[0]}/pid`)));
    expect(answers.map((a) => a.statusCode)).toEqual([200, 200, 200]);
    const pids = new Set(answers.map((a) => (a.json() as { pid: number }).pid));
    expect(pids.size).toBe(1);
    expect(backends(again).pid(names[0]!)).toBe([...pids][0]);
    expect(logOf(again, names[0]!).filter((e) => e.event === 'activate').length).toBe(activationsBefore + 1);
    expect(state(again, names[0]!)).toBe('active');
    // The others stay idle.
    for (const name of names.slice(1)) expect(state(again, name)).toBe('idle');
  }, 60_000);

  test('an idle backend stops after PLUGIN_BACKEND_IDLE_MS with time to clean up, and starts again on demand with its data kept', async () => {
    const { app, names } = await firstBoot(1, { PLUGIN_BACKEND_IDLE_MS: '400' });
    const [name] = names as [string];
    const saved = await callExt(app, `/api/ext/${name}/note`, {
      method: 'PUT',
      payload: { text: 'kept across stops' },
    });
    expect(saved.statusCode, saved.body).toBe(200);
    const firstPid = backends(app).pid(name)!;
    await until('the idle stop', () => (state(app, name) === 'idle' ? true : undefined));
    expect(backends(app).pid(name)).toBeUndefined();
    await until('on-plugin-unload in the stopping process', () =>
      logOf(app, name).some((e) => e.event === 'on-plugin-unload' && e.pid === firstPid) ? true : undefined,
    );
    await until('the process to exit', () => (processGone(firstPid) ? true : undefined));
    const listed = await app.server.inject({ url: `/api/plugins/${name}`, headers: { cookie: app.adminCookie } });
    expect(listed.json()).toMatchObject({ state: 'active', backendIdle: { since: expect.any(String) } });
    const diagnostics = await diagnosticsOf(app, name);
    expect(diagnostics.state).toBe('idle');
    expect(diagnostics.reason).toMatch(/^idle since \d{4}-\d\d-\d\dT.*; it starts again on first use$/);

    const read = await callExt(app, `/api/ext/${name}/note`);
    expect(read.statusCode, read.body).toBe(200);
    expect(read.json()).toEqual({ text: 'kept across stops' });
    const secondPid = backends(app).pid(name);
    expect(secondPid).toBeDefined();
    expect(secondPid).not.toBe(firstPid);
  }, 60_000);

  test('an event to a subscribed idle backend starts it and its handler runs; other events leave it idle', async () => {
    const { app, feature, names } = await firstBoot(2, { PLUGIN_BACKEND_IDLE_MS: '300' });
    await until('the idle stops', () => (names.every((n) => state(app, n) === 'idle') ? true : undefined));
    const bus = feature.events()!;
    // Nobody subscribed: nothing starts.
    expect(await bus.emit('on-lineage-build', { workspace: 'default', nodes: 0 }, 'default')).toEqual([]);
    expect(names.map((n) => state(app, n))).toEqual(['idle', 'idle']);

    const outcomes = await bus.emit('on-run-complete', { workspace: 'default', run: { id: 'run-7' } }, 'default');
    expect(outcomes.map((o) => [o.plugin, o.ok])).toEqual(names.map((n) => [n, true]));
    for (const name of names) {
      const [first, ...later] = logOf(app, name).filter((e) => e.event === 'activate');
      const handled = logOf(app, name).find((e) => e.event === 'on-run-complete');
      // Handled by a process started for it: the first one had stopped for being idle.
      expect(handled).toMatchObject({ run: { id: 'run-7' } });
      expect(handled!.pid).not.toBe(first!.pid);
      expect(later.map((e) => e.pid)).toContain(handled!.pid);
    }
  }, 60_000);

  test('a start on demand that fails answers the caller with the reason, and the plugin reports error', async () => {
    const { app, names } = await firstBoot(1, { PLUGIN_BACKEND_IDLE_MS: '300' });
    const [name] = names as [string];
    await until('the idle stop', () => (state(app, name) === 'idle' ? true : undefined));
    writeFileSync(path.join(app.context.settings.dataDirectory, 'plugins', name, 'refuse-start'), '');
    const answer = await callExt(app, `/api/ext/${name}/pid`);
    expect(answer.statusCode).toBe(503);
    expect(answer.json().error).toMatchObject({
      code: 'plugin_unavailable',
      message: expect.stringContaining('refusing to start: refuse-start is set'),
    });
    const listed = await app.server.inject({ url: `/api/plugins/${name}`, headers: { cookie: app.adminCookie } });
    expect(listed.json()).toMatchObject({ state: 'error', reason: expect.stringContaining('refusing to start') });
  }, 60_000);

  test('a tool call starts the idle plugin that serves it, and the idle plugin hooked around tool calls', async () => {
    const app = await startToolsApp(['tool-guard'], { PLUGIN_BACKEND_IDLE_MS: '1500' });
    running.push(app);
    folders.push(app.dir);
    const plugins = ['model-stewards', 'tool-guard'];
    await until('the idle stops', () => (plugins.every((n) => state(app, n) === 'idle') ? true : undefined));
    const read = await callTool(app, 'shop', 'model-stewards.steward_of', { model: 'model.a' });
    expect(read.statusCode, read.body).toBe(200);
    expect((read.json() as ToolCallResult).result).toMatchObject({ steward: null });
    expect(state(app, 'model-stewards')).toBe('active');
    // The guard's before-call hook ran in a process started for it (what it saw lives in that process).
    expect(state(app, 'tool-guard')).toBe('active');
    const seen = await callExt(app, '/api/ext/tool-guard/seen', { workspace: 'shop' });
    expect(seen.json()).toContainEqual(expect.objectContaining({ hook: 'before', tool: 'model-stewards.steward_of' }));
  }, 60_000);
});

function processGone(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return false;
  } catch {
    return true;
  }
}
