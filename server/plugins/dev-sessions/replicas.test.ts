// Dev sessions behind several replicas: two whole server processes on one throwaway PostgreSQL. A session started
// through A serves its developer on B (extensions, the CSP of their documents, the dev frame) and nobody else; it
// outlives a restart; once its CLI stops beating it ends on every replica, and a shell open on B is told. A backend
// dev slot runs on the replica its upload reached: the developer's calls reaching the other one are refused with its
// name, never sent to the approved backend.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, onTestFinished, test } from 'vitest';
import type { WorkspaceExtensions } from '../../../shared/api.schema.ts';
import { testManifest } from '../../../shared/testing/manifests.ts';
import { eventually } from '../../sandbox/testing.ts';
import { writeBackendPlugin } from '../../testing/backend-plugin.ts';
import { startReplicaCluster, type Replica, type ReplicaCluster } from '../../testing/replica-cluster.ts';
import { serverEventAfter } from '../../testing/server-events.ts';
import { writeWidgetPlugin } from '../../testing/widget-plugin.ts';

const COLLEAGUE = { username: 'colleague', password: 'colleague-password' };
const TTL_S = 4;
const devOrigin = 'http://127.0.0.1:4999';
const devEntry = `${devOrigin}/b1/mf-manifest.json`;
const backend = { entry: 'index.ts', limits: { timeoutMs: 3000 } };
/** A backend-only plugin: no frontend, a route answering which build runs. */
const echoManifest = testManifest('echo-api', { capabilities: ['extend-api'], backend });
const echoBackend = (build: string) => `
export async function activate(host) {
  await host.routes.register('GET', '/who', () => ({ body: { build: ${JSON.stringify(build)} } }));
}
`;
const devManifest = testManifest('notes', {
  version: '1.1.0-dev',
  frontend: {
    remote: 'mf-manifest.json',
    contributions: [{ slot: 'dashboard.widget', id: 'w', module: './Widget' }],
  },
});

let cluster: ReplicaCluster;
const replicas: Record<'a' | 'b', Replica | undefined> = { a: undefined, b: undefined };
const a = () => replicas.a!;
const b = () => replicas.b!;
let token: string;
let colleagueCookie: string;

const start = async (name: 'a' | 'b') =>
  (replicas[name] = await cluster.start(`replica-${name}`, {
    SHELL_DIST_DIR: path.join(cluster.dir, 'shell'),
    ISOLATION_DIST_DIR: path.join(cluster.dir, 'isolation'),
  }));

function devCall(server: Replica, method: string, suffix = '', body?: object) {
  return fetch(`${server.url}/api/plugins/notes/dev-session${suffix}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
    ...(body ? { body: JSON.stringify(body) } : {}),
  });
}

const remoteEntryOn = async (server: Replica, cookie: string) =>
  (await server.getJson<WorkspaceExtensions>('/api/workspaces/alpha/extensions', cookie)).extensions.find(
    (e) => e.plugin === 'notes',
  )?.remote?.entry;
const documentCsp = async (server: Replica, cookie: string) =>
  String((await fetch(`${server.url}/`, { headers: { cookie } })).headers.get('content-security-policy'));
const frameStatus = async (server: Replica, revision: string) =>
  (await fetch(`${server.url}/plugin-frames/notes/${revision}/`)).status;
/** Polls until `check` holds, or throws after `ms`. */
const within = (ms: number, what: string, check: () => Promise<boolean>) =>
  eventually(what, async () => ((await check()) ? true : undefined), ms);

beforeAll(async () => {
  cluster = await startReplicaCluster({
    workspaces: [{ name: 'alpha' }],
    plugins: 'shared',
    env: { PLUGIN_DEFAULT_ENABLED: 'true', PLUGIN_DEV_SESSION_TTL_S: String(TTL_S) },
    prepare: (dir) => {
      for (const folder of ['shell', 'isolation']) {
        mkdirSync(path.join(dir, folder));
        writeFileSync(path.join(dir, folder, 'index.html'), `<!doctype html><title>${folder}</title>`);
      }
      writeWidgetPlugin(dir, 'notes');
      writeBackendPlugin(path.join(dir, 'plugins'), echoManifest, echoBackend('approved'));
    },
  });
  await start('a');
  await start('b');
  const made = await a().send('POST', '/api/tokens', { body: { name: 'notes dev', scopes: ['plugins:dev'] } });
  expect(made.status).toBe(201);
  token = ((await made.json()) as { token: string }).token;
  const colleague = await a().send('POST', '/api/users', {
    body: { ...COLLEAGUE, isInstanceAdmin: true, roles: {} },
  });
  expect(colleague.status).toBe(201);
  colleagueCookie = await b().process.signIn(COLLEAGUE.username, COLLEAGUE.password);
}, 180_000);

afterAll(() => cluster?.destroy());

describe('dev sessions on two replicas of one PostgreSQL', () => {
  test('a session started through A serves its developer on B, nobody else, and outlives a restart', async () => {
    const adminB = b().cookie;
    const approvedEntry = await remoteEntryOn(b(), adminB);
    const approvedCsp = await documentCsp(b(), colleagueCookie);
    expect(approvedEntry).toBeDefined();

    const started = await devCall(a(), 'PUT', '', { manifest: devManifest, entry: devEntry });
    expect(started.status).toBe(200);
    const session = (await started.json()) as { revision: string; heartbeatSeconds: number };
    expect(session.heartbeatSeconds).toBe(1);

    // On B: the developer's list, the CSP of their documents and the dev frame; the colleague's unchanged.
    await within(5_000, 'the dev entry on B', async () => (await remoteEntryOn(b(), adminB)) === devEntry);
    expect(await documentCsp(b(), adminB)).toContain(devOrigin);
    expect(await frameStatus(b(), session.revision)).toBe(200);
    expect(await remoteEntryOn(b(), colleagueCookie)).toBe(approvedEntry);
    expect(await documentCsp(b(), colleagueCookie)).toBe(approvedCsp);

    // A rebuild announced through B reaches A.
    const adminA = a().cookie;
    const rebuilt = await devCall(b(), 'POST', '/builds', { entry: `${devOrigin}/b2/mf-manifest.json` });
    expect(rebuilt.status).toBe(200);
    const second = ((await rebuilt.json()) as { revision: string }).revision;
    await within(
      5_000,
      'the rebuild on A',
      async () => (await remoteEntryOn(a(), adminA)) === `${devOrigin}/b2/mf-manifest.json`,
    );
    expect(await frameStatus(a(), second)).toBe(200);
    expect(await frameStatus(a(), session.revision)).toBe(404);

    // The CLI keeps beating (through either replica) while B restarts; B serves the session again once back.
    const beat = setInterval(() => void devCall(a(), 'POST', '/heartbeat').catch(() => undefined), 500);
    try {
      await b().process.stop();
      await start('b');
      const adminB2 = b().cookie;
      expect(await remoteEntryOn(b(), adminB2)).toBe(`${devOrigin}/b2/mf-manifest.json`);
      expect(await frameStatus(b(), second)).toBe(200);
      const heartbeat = await devCall(b(), 'POST', '/heartbeat');
      expect(heartbeat.status).toBe(200);
    } finally {
      clearInterval(beat);
    }
  }, 120_000);

  test('a session whose CLI stopped beating ends on every replica, and a shell open on B is told', async () => {
    const adminA = a().cookie;
    const adminB = b().cookie;
    const started = await devCall(a(), 'PUT', '', { manifest: devManifest, entry: devEntry });
    expect(started.status).toBe(200);
    const { revision } = (await started.json()) as { revision: string };
    await within(5_000, 'the dev entry on B', async () => (await remoteEntryOn(b(), adminB)) === devEntry);

    // No heartbeat from here on: within the session's life and a sweep, B's developer shell hears of its end.
    const event = await serverEventAfter(
      b().url,
      adminB,
      (e) => e.type === 'plugins-changed' && (e.plugins as string[]).includes('notes'),
      () => new Promise((resolve) => setTimeout(resolve, TTL_S * 1000)),
    );
    expect(event.type).toBe('plugins-changed');
    for (const [server, cookie] of [
      [a(), adminA],
      [b(), adminB],
    ] as const) {
      expect(await remoteEntryOn(server, cookie)).not.toBe(devEntry);
      expect(await documentCsp(server, cookie)).not.toContain(devOrigin);
      expect(await frameStatus(server, revision)).toBe(404);
    }
    const heartbeat = await devCall(b(), 'POST', '/heartbeat');
    expect(heartbeat.status).toBe(404);
    expect(((await heartbeat.json()) as { error: { message: string } }).error.message).toContain('it ended');
  }, 60_000);

  test('a backend-only plugin gets a dev session; its dev slot runs where the upload went, the other replica refuses', async () => {
    const adminA = a().cookie;
    const adminB = b().cookie;
    const approved = await a().send('POST', '/api/plugins/echo-api/approve', { body: { version: '1.0.0' } });
    expect(approved.status).toBe(200);
    const who = async (server: Replica, cookie: string) => {
      const response = await fetch(`${server.url}/api/ext/echo-api/who`, {
        headers: { cookie, 'x-workbench-workspace': 'alpha' },
      });
      return {
        status: response.status,
        body: (await response.json()) as { build?: string; error?: { message: string } },
      };
    };
    await within(15_000, 'the approved backend on B', async () => (await who(b(), adminB)).body.build === 'approved');

    const call = (server: Replica, method: string, suffix = '', body?: object) =>
      fetch(`${server.url}/api/plugins/echo-api/dev-session${suffix}`, {
        method,
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify(body ?? {}),
      });
    const withEntry = await call(a(), 'PUT', '', { manifest: echoManifest, entry: devEntry });
    expect(withEntry.status).toBe(409);
    expect(((await withEntry.json()) as { error: { message: string } }).error.message).toContain('no frontend');
    const started = await call(a(), 'PUT', '', { manifest: echoManifest });
    expect(started.status).toBe(200);
    // The CLI's heartbeat, as `dev` sends it: the session lives only TTL_S without one.
    const beat = setInterval(() => void call(a(), 'POST', '/heartbeat').catch(() => undefined), 500);
    onTestFinished(() => clearInterval(beat));
    expect(await started.json()).not.toHaveProperty('entry');
    const files = (build: string) => ({ files: { 'index.ts': Buffer.from(echoBackend(build)).toString('base64') } });
    const uploaded = await call(a(), 'PUT', '/backend', files('dev-on-a'));
    expect(uploaded.status, await uploaded.clone().text()).toBe(200);

    expect((await who(a(), adminA)).body.build).toBe('dev-on-a');
    // On B the developer's call is refused with the replica that runs it; the colleague's reaches the approved one.
    await within(15_000, 'B to refuse', async () => (await who(b(), adminB)).status === 409);
    const refused = await who(b(), adminB);
    expect(refused.body.error!.message).toContain(`:${new URL(a().url).port} (pid ${a().process.child.pid})`);
    expect(refused.body.error!.message).toContain('refused rather than sent to the approved backend');
    expect((await who(b(), colleagueCookie)).body.build).toBe('approved');

    // An upload through B moves the slot there; A then refuses, naming B.
    const moved = await call(b(), 'PUT', '/backend', files('dev-on-b'));
    expect(moved.status).toBe(200);
    expect((await who(b(), adminB)).body.build).toBe('dev-on-b');
    await within(15_000, 'A to refuse', async () => (await who(a(), adminA)).status === 409);
    expect((await who(a(), adminA)).body.error!.message).toContain(`(pid ${b().process.child.pid})`);

    // Ended through A: both replicas send the developer to the approved backend again.
    clearInterval(beat);
    expect((await call(a(), 'DELETE')).status).toBe(204);
    await within(
      15_000,
      'B back on the approved backend',
      async () => (await who(b(), adminB)).body.build === 'approved',
    );
    await within(
      15_000,
      'A back on the approved backend',
      async () => (await who(a(), adminA)).body.build === 'approved',
    );
  }, 90_000);
});
