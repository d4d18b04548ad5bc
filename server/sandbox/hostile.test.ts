import { existsSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startTestApp, type TestApp } from '../testing/test-app.ts';
import { createSandboxFeature } from './feature.ts';
import { approve, callExt, diagnosticsOf, eventually, withFixtures } from './testing.ts';

// Every hostile fixture runs in one server beside a well-behaved plugin (`echo`). Each test does the hostile
// thing, then shows the cause in the plugin's diagnostics and that the server and `echo` are unaffected.

const hostile = [
  'reads-passwd',
  'writes-outside',
  'reads-env',
  'spawns-process',
  'signals-server',
  'opens-network',
  'reads-server-environ',
  'loops-forever',
  'allocates-buffers',
  'throws-on-activate',
  'route-without-capability',
  'metadata-without-capability',
  'huge-body',
  'crash-loop',
];
const policy = {
  initialBackoffMs: 20,
  maxBackoffMs: 200,
  crashes: 5,
  windowMs: 60_000,
  cooldownMs: 600_000,
  stableMs: 10_000,
};

let app: TestApp;
let echoPid: number;

beforeAll(async () => {
  process.env.SANDBOX_TEST_GRANTED = 'granted-value';
  process.env.SANDBOX_TEST_SECRET = 'the-servers-secret';
  app = await startTestApp({
    features: [createSandboxFeature({}, { policy })],
    prepare: withFixtures('echo', ...hostile),
  });
  for (const name of ['echo', ...hostile]) await approve(app, name);
  echoPid = await eventually('echo to answer', async () => {
    const r = await callExt(app, '/api/ext/echo/echo');
    return r.statusCode === 200 ? (r.json() as { pid: number }).pid : undefined;
  });
}, 60_000);

afterAll(async () => {
  delete process.env.SANDBOX_TEST_GRANTED;
  delete process.env.SANDBOX_TEST_SECRET;
  await app?.close();
});

/** The server answers its core API and `echo` answers from the same process as before: nothing spilled over. */
async function neighboursUnaffected(): Promise<void> {
  expect((await app.server.inject({ url: '/api/auth/me', headers: { cookie: app.adminCookie } })).statusCode).toBe(200);
  const echo = await callExt(app, '/api/ext/echo/echo');
  expect(echo.statusCode).toBe(200);
  expect(echo.json().pid).toBe(echoPid);
  expect((await diagnosticsOf(app, 'echo')).crashes).toBe(0);
}

/** Waits until a plugin's backend is active and answers `path`. */
async function whenServing(plugin: string, route: string): Promise<void> {
  await eventually(`${plugin} to be active`, async () =>
    (await diagnosticsOf(app, plugin)).state === 'active' ? true : undefined,
  );
  await eventually(`${plugin} to serve ${route}`, async () =>
    (await callExt(app, `/api/ext/${plugin}${route}`)).statusCode !== 503 ? true : undefined,
  );
}

const rejected = async (plugin: string) =>
  (await diagnosticsOf(app, plugin)).rejectedActions.map((r) => r.message).join('\n');

describe('hostile plugin backends are contained', () => {
  test('reading /etc/passwd is refused by the permission model', async () => {
    await whenServing('reads-passwd', '/read');
    const response = await callExt(app, '/api/ext/reads-passwd/read');
    expect(response.statusCode).toBe(502);
    expect(response.json().error.message).toMatch(/sandbox refused.*ERR_ACCESS_DENIED|FileSystemRead/);
    expect(response.body).not.toContain('root:x:0');
    expect(await rejected('reads-passwd')).toMatch(/FileSystemRead.*\/etc\/passwd/);
    await neighboursUnaffected();
  });

  test('writing outside its data folder is refused; its own data folder is writable', async () => {
    await whenServing('writes-outside', '/write-own');
    expect((await callExt(app, '/api/ext/writes-outside/write-own')).statusCode).toBe(200);
    const outside = path.join(app.dir, 'data', 'plugins', 'escaped.txt');
    const escaped = await callExt(app, '/api/ext/writes-outside/write');
    expect(escaped.statusCode).toBe(502);
    expect(existsSync(outside)).toBe(false);
    const tmp = path.join(app.dir, 'escaped-to-tmp.txt');
    expect((await callExt(app, `/api/ext/writes-outside/write?target=${encodeURIComponent(tmp)}`)).statusCode).toBe(
      502,
    );
    expect(existsSync(tmp)).toBe(false);
    expect(await rejected('writes-outside')).toMatch(/FileSystemWrite/);
    await neighboursUnaffected();
  });

  test('only the granted environment variable is visible; the server secret is not', async () => {
    await whenServing('reads-env', '/env');
    const seen = (await callExt(app, '/api/ext/reads-env/env')).json();
    expect(seen.granted).toBe('granted-value');
    expect(seen.hostEnv).toEqual({ SANDBOX_TEST_GRANTED: 'granted-value' });
    expect(seen.secret).toBeNull();
    expect(seen.names).toEqual(['SANDBOX_TEST_GRANTED']);
    const layers = (await diagnosticsOf(app, 'reads-env')).layers;
    expect(layers.find((l) => l.layer === 'environment')?.detail).toBe('only SANDBOX_TEST_GRANTED');
    await neighboursUnaffected();
  });

  test('spawning a process or a worker is refused', async () => {
    await whenServing('spawns-process', '/spawn');
    expect((await callExt(app, '/api/ext/spawns-process/spawn')).statusCode).toBe(502);
    expect((await callExt(app, '/api/ext/spawns-process/worker')).statusCode).toBe(502);
    expect(await rejected('spawns-process')).toMatch(/ChildProcess/);
    expect(await rejected('spawns-process')).toMatch(/WorkerThreads/);
    await neighboursUnaffected();
  });

  test("signalling the server's process is refused, and the server lives on", async () => {
    await whenServing('signals-server', '/kill');
    const response = await callExt(app, '/api/ext/signals-server/kill');
    expect(response.statusCode).toBe(502);
    expect(await rejected('signals-server')).toMatch(/sandbox refused: .*(signal process|EPERM|ERR_ACCESS_DENIED)/);
    await neighboursUnaffected();
  });

  test('a network connection without a grant never reaches the loopback port', async () => {
    let connections = 0;
    const listener = net.createServer((socket) => {
      connections += 1;
      socket.end();
    });
    await new Promise<void>((resolve) => listener.listen(0, '127.0.0.1', resolve));
    const port = (listener.address() as net.AddressInfo).port;
    try {
      await whenServing('opens-network', '/connect');
      const response = await callExt(app, `/api/ext/opens-network/connect?port=${port}`);
      expect(response.statusCode).toBe(502);
      expect(connections).toBe(0);
      const layers = (await diagnosticsOf(app, 'opens-network')).layers;
      expect(layers.find((l) => l.layer === 'network-guard')).toMatchObject({ active: true });
      expect(await rejected('opens-network')).toContain(
        `connecting to 127.0.0.1:${port} is refused: permissions.network allows no hosts`,
      );
    } finally {
      listener.close();
    }
    await neighboursUnaffected();
  });

  test('reading /proc/<server pid>/environ is refused', async () => {
    await whenServing('reads-server-environ', '/environ');
    const response = await callExt(app, '/api/ext/reads-server-environ/environ');
    expect(response.statusCode).toBe(502);
    expect(response.body).not.toContain('the-servers-secret');
    expect(await rejected('reads-server-environ')).toMatch(/FileSystemRead.*environ/);
    await neighboursUnaffected();
  });

  test('an endless loop is killed at its deadline and the plugin serves again after a restart', async () => {
    await whenServing('loops-forever', '/ping');
    const before = (await callExt(app, '/api/ext/loops-forever/ping')).json().pid;
    const started = Date.now();
    const response = await callExt(app, '/api/ext/loops-forever/spin');
    expect(response.statusCode).toBe(504);
    expect(Date.now() - started).toBeLessThan(3000);
    const after = await eventually('a new process', async () => {
      const r = await callExt(app, '/api/ext/loops-forever/ping');
      return r.statusCode === 200 ? r.json().pid : undefined;
    });
    expect(after).not.toBe(before);
    const diagnostics = await diagnosticsOf(app, 'loops-forever');
    expect(diagnostics.calls.find((c) => c.name === 'GET /spin')?.timeouts).toBe(1);
    expect(diagnostics.recentCrashes.map((c) => c.reason).join('\n')).toMatch(
      /GET \/spin did not answer within its 300 ms deadline/,
    );
    await neighboursUnaffected();
  });

  test('unbounded Buffers are stopped by the memory limit', async () => {
    await whenServing('allocates-buffers', '/hog');
    const response = await callExt(app, '/api/ext/allocates-buffers/hog');
    expect(response.statusCode).toBe(502);
    const diagnostics = await diagnosticsOf(app, 'allocates-buffers');
    expect(diagnostics.recentCrashes.at(-1)?.reason).toMatch(/out of memory/);
    await neighboursUnaffected();
  });

  test('a plugin that throws on activate ends in state error with the reason, after a few tries', async () => {
    const diagnostics = await eventually('the circuit to open', async () => {
      const d = await diagnosticsOf(app, 'throws-on-activate');
      return d.state === 'error' ? d : undefined;
    });
    expect(diagnostics.reason).toMatch(/stopped after 5 crashes.*this plugin refuses to start/);
    expect(diagnostics.crashes).toBe(5);
    const response = await callExt(app, '/api/ext/throws-on-activate/anything');
    expect(response.statusCode).toBe(503);
    expect(response.json().error.message).toMatch(/this plugin refuses to start/);
    await neighboursUnaffected();
  });

  test('registering a route without extend-api is refused and recorded', async () => {
    const actions = await eventually('the rejection', async () => {
      const d = await diagnosticsOf(app, 'route-without-capability');
      return d.rejectedActions.length > 0 ? d.rejectedActions : undefined;
    });
    expect(actions[0]).toMatchObject({ action: 'routes.register GET /sneaky', capability: 'extend-api' });
    expect(actions[0]!.message).toMatch(/needs the extend-api capability/);
    expect((await callExt(app, '/api/ext/route-without-capability/sneaky')).statusCode).toBe(404);
    await neighboursUnaffected();
  });

  test('registering a metadata enricher without write-metadata is refused and recorded', async () => {
    const actions = await eventually('the rejection', async () => {
      const d = await diagnosticsOf(app, 'metadata-without-capability');
      return d.rejectedActions.length > 0 ? d.rejectedActions : undefined;
    });
    expect(actions[0]).toMatchObject({ action: 'register artifact-load', capability: 'write-metadata' });
    expect((await diagnosticsOf(app, 'metadata-without-capability')).registrations).toEqual([]);
    await neighboursUnaffected();
  });

  test('a huge answer is a 502 with a clear error; an oversized frame is skipped unread', async () => {
    await whenServing('huge-body', '/huge');
    const huge = await callExt(app, '/api/ext/huge-body/huge');
    expect(huge.statusCode).toBe(502);
    expect(huge.json().error.message).toMatch(/too large: .*20\.0 MB.*at most 5 MB/);
    const flood = await callExt(app, '/api/ext/huge-body/flood');
    expect(flood.body).toBe('flooded');
    expect(await rejected('huge-body')).toMatch(/sent a 12\.0 MB message/);
    expect((await diagnosticsOf(app, 'huge-body')).crashes).toBe(0);
    await neighboursUnaffected();
  });

  test('a crash loop backs off, then opens the circuit: calls fail fast with the reason', async () => {
    const diagnostics = await eventually('the circuit to open', async () => {
      const d = await diagnosticsOf(app, 'crash-loop');
      return d.state === 'error' ? d : undefined;
    });
    expect(diagnostics.crashes).toBe(5);
    expect(diagnostics.restarts).toBe(4);
    expect(diagnostics.reason).toMatch(/crash-loop fixture: boom/);
    expect(diagnostics.events.map((e) => e.type)).toContain('circuit-open');
    // Failing fast means the call is answered from the open circuit: it starts no child.
    const refused = await callExt(app, '/api/ext/crash-loop/alive');
    expect(refused.statusCode).toBe(503);
    expect(refused.json().error.message).toMatch(/crash-loop fixture: boom/);
    expect((await diagnosticsOf(app, 'crash-loop')).restarts).toBe(4);
    // Another plugin's change makes the runtime follow the registry again: the open circuit stays open.
    const rule = {
      method: 'PUT' as const,
      url: '/api/plugins/echo/workspaces/default',
      headers: { cookie: app.adminCookie },
    };
    await app.server.inject({ ...rule, payload: { enabled: true } });
    await app.server.inject({ ...rule, payload: { enabled: null } });
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(await diagnosticsOf(app, 'crash-loop')).toMatchObject({ state: 'error', crashes: 5 });
    await neighboursUnaffected();
  });
});
