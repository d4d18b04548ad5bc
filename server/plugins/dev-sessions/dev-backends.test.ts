import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, expect, test } from 'vitest';
import type { CreatedApiToken } from '../../../shared/api-tokens.schema.ts';
import { testManifest } from '../../../shared/testing/manifests.ts';
import { approve, callExt, eventually } from '../../sandbox/testing.ts';
import { startTestApp, type TestApp } from '../../testing/test-app.ts';
import { writeWidgetPlugin } from '../../testing/widget-plugin.ts';

// A backend dev slot (`workbench-plugin dev --server` with a backend/): the developer's uploaded backend code runs in
// a real sandboxed process for the developer's own calls to /api/ext/notes/, under the approved capabilities only;
// everyone else keeps the approved backend, and the slot ends with the session.

let app: TestApp | undefined;
afterEach(async () => {
  await app?.close();
  app = undefined;
});

const backend = { entry: 'index.ts', limits: { timeoutMs: 3000 } };
const tools = [
  {
    name: 'which_build',
    title: 'Which build',
    description: 'The name of the build that answers.',
    effect: 'read',
    parameters: { type: 'object', properties: {}, additionalProperties: false },
    result: { type: 'object', properties: { build: { type: 'string' } }, required: ['build'] },
  },
];
/** A backend answering GET /who, and its tool which_build, with its build's name (and its process and data folder). */
const whoAmI = (build: string, extra = '') => `
export async function activate(host) {
  await host.routes.register('GET', '/who', () => ({ body: { build: ${JSON.stringify(build)}, pid: process.pid, dataDir: host.dataDir } }));
  await host.tools.register('which_build', () => ({ build: ${JSON.stringify(build)} }));
  ${extra}
}
`;
const peek = `await host.routes.register('GET', '/peek', async (request) => {
    try {
      await host.data.models(request.workspace.name);
      return { body: { read: true } };
    } catch (error) {
      return { body: { refused: String(error.message ?? error) } };
    }
  });`;
const b64 = (text: string) => Buffer.from(text).toString('base64');

async function started() {
  const a = await startTestApp({
    prepare: (dir) => {
      // Opened to other users, as a real install is, so backends may run under their own user id.
      chmodSync(dir, 0o755);
      const pluginDir = writeWidgetPlugin(dir, 'notes', { manifest: { capabilities: ['extend-api'], backend, tools } });
      mkdirSync(path.join(pluginDir, 'backend'));
      writeFileSync(path.join(pluginDir, 'backend', 'index.ts'), whoAmI('approved'));
    },
  });
  app = a;
  await approve(a, 'notes');
  const made = await a.server.inject({
    method: 'POST',
    url: '/api/tokens',
    headers: { cookie: a.adminCookie },
    payload: { name: 'notes dev', scopes: ['plugins:dev'] },
  });
  const token = (made.json() as CreatedApiToken).token;
  const call = (method: 'PUT' | 'DELETE', suffix: string, payload?: object) =>
    a.server.inject({
      method,
      url: `/api/plugins/notes/dev-session${suffix}`,
      headers: { authorization: `Bearer ${token}` },
      ...(payload ? { payload } : {}),
    });
  const manifest = testManifest('notes', {
    capabilities: ['extend-api'],
    backend,
    tools,
    frontend: {
      remote: 'mf-manifest.json',
      contributions: [{ slot: 'dashboard.widget', id: 'w', module: './Widget' }],
    },
  });
  const session = await call('PUT', '', { manifest, entry: 'http://127.0.0.1:4999/b1/mf-manifest.json' });
  expect(session.statusCode, session.body).toBe(200);
  return { a, call, deploy: (files: Record<string, string>) => call('PUT', '/backend', { files }) };
}

type Who = { build: string; pid: number; dataDir: string };
async function who(a: TestApp, cookie: string): Promise<Who> {
  const response = await callExt(a, '/api/ext/notes/who', { cookie });
  expect(response.statusCode, response.body).toBe(200);
  return response.json() as Who;
}

test("the developer's calls reach their dev backend, everyone else's the approved one, and it ends with the session", async () => {
  const { a, call, deploy } = await started();
  const colleague = await a.userWithRoles('colleague', { default: 'admin' }, true);
  const approved = await who(a, a.adminCookie);
  expect(approved.build).toBe('approved');

  const first = await deploy({ 'index.ts': b64(whoAmI('dev-1', peek)) });
  expect(first.statusCode, first.body).toBe(200);
  expect(first.json()).toEqual({ plugin: 'notes', build: 1 });
  const dev = await who(a, a.adminCookie);
  expect(dev.build).toBe('dev-1');
  expect(dev.pid).not.toBe(approved.pid);
  // A data folder of its own: the approved build's data is not the dev build's to change.
  expect(dev.dataDir).not.toBe(approved.dataDir);
  expect(await who(a, colleague)).toEqual(approved);

  // The same sandbox and rights: read-metadata was never approved for notes, so the dev build cannot read models.
  const peeked = await callExt(a, '/api/ext/notes/peek', { cookie: a.adminCookie });
  expect(peeked.json().refused).toMatch(/read-metadata/);
  expect((await callExt(a, '/api/ext/notes/peek', { cookie: colleague })).statusCode).toBe(404);

  // A new upload replaces the dev build in place.
  const second = await deploy({ 'index.ts': b64(whoAmI('dev-2')), 'lib/words.ts': b64('export const x = 1;\n') });
  expect(second.statusCode, second.body).toBe(200);
  expect((await who(a, a.adminCookie)).build).toBe('dev-2');

  // Ctrl-C (DELETE): the slot's process stops, the developer is back on the approved backend.
  const devPid = (await who(a, a.adminCookie)).pid;
  expect((await call('DELETE', '')).statusCode).toBe(204);
  expect(await who(a, a.adminCookie)).toEqual(approved);
  await eventually('the dev process to exit', () => {
    try {
      process.kill(devPid, 0);
      return undefined;
    } catch {
      return true;
    }
  });
  expect(await who(a, colleague)).toEqual(approved);

  const audit = await a.server.inject({
    url: '/api/audit?action=plugin.dev-session.backend',
    headers: { cookie: a.adminCookie },
  });
  const entries = (audit.json() as { entries: { actorName: string; details: unknown }[] }).entries;
  expect(entries.map((e) => [e.actorName, e.details])).toEqual([
    ['token:notes dev', { build: 2, files: 2 }],
    ['token:notes dev', { build: 1, files: 1 }],
  ]);
}, 60_000);

test("the developer's own tool calls run on their dev build; a colleague's on the approved one", async () => {
  const { a, deploy } = await started();
  const colleague = await a.userWithRoles('colleague', { default: 'admin' }, true);
  const whichBuild = async (cookie: string) => {
    const response = await a.server.inject({
      method: 'POST',
      url: '/api/workspaces/default/tools/notes.which_build/call',
      headers: { cookie },
      payload: { arguments: {} },
    });
    expect(response.statusCode, response.body).toBe(200);
    return (response.json() as { result: { build: string } }).result.build;
  };
  expect(await whichBuild(a.adminCookie)).toBe('approved');
  expect((await deploy({ 'index.ts': b64(whoAmI('dev-1')) })).statusCode).toBe(200);
  expect(await whichBuild(a.adminCookie)).toBe('dev-1');
  expect(await whichBuild(colleague)).toBe('approved');
}, 60_000);

test('bad uploads are refused with why and change nothing; a build that fails to start leaves the last one serving', async () => {
  const { a, deploy } = await started();
  expect((await deploy({ 'index.ts': b64(whoAmI('dev-1')) })).statusCode).toBe(200);

  const refused = async (files: Record<string, string>, status: number, words: string) => {
    const response = await deploy(files);
    expect(response.statusCode, response.body).toBe(status);
    expect(response.json().error.message).toContain(words);
    expect((await who(a, a.adminCookie)).build).toBe('dev-1');
  };
  await refused({ '../index.ts': b64('x') }, 400, 'must not contain . or ..');
  await refused({ '/etc/index.ts': b64('x') }, 400, 'relative path');
  await refused({ 'other.ts': b64('x') }, 409, 'the files have no index.ts, the approved backend entry');
  await refused(
    { 'index.ts': b64('export async function activate() { throw new Error("broken on purpose"); }') },
    409,
    'broken on purpose',
  );

  // Without a dev session there is no slot to deploy to.
  const other = await a.server.inject({
    method: 'PUT',
    url: '/api/plugins/notes/dev-session/backend',
    headers: { cookie: await a.userWithRoles('admin-2', { default: 'admin' }, true) },
    payload: { files: { 'index.ts': b64(whoAmI('sneaky')) } },
  });
  expect(other.statusCode).toBe(404);
  expect(other.json().error.message).toContain('no dev session of "notes"');
}, 60_000);
