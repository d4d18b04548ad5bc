import { generateKeyPairSync, randomUUID } from 'node:crypto';
import { cpSync, mkdirSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import type { HTTPMethods } from 'fastify';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import {
  callers,
  enabledIn,
  matrix,
  memberships,
  verdict,
  workspacesTried,
  type Access,
  type Call,
  type Caller,
  type Fixtures,
  type MatrixEntry,
} from './access-matrix.entries.ts';
import { createSessionStore, SESSION_COOKIE } from './auth/sessions.ts';
import { createBudgetStore } from './plugins/budgets/store.ts';
import { pluginZip } from './plugins/installation/testing.ts';
import { approve, withFixtures } from './sandbox/testing.ts';
import { routeTable } from './testing/route-table.ts';
import { startTestApp, TEST_ADMIN, type TestApp } from './testing/test-app.ts';
import { writeWidgetPlugin } from './testing/widget-plugin.ts';

// The access matrix (server/access-matrix.entries.ts) against the real app: example plugin model-notes and the
// every-method fixture with their backends running, throwaway "spare-*" plugins for the calls that remove,
// disable, update or roll back, the demo project's artifacts in alpha and beta, and a built shell stand-in.

const repo = path.resolve(import.meta.dirname, '..');
const demo = path.join(repo, 'demo/workspaces/jaffle-shop-classic');
/** Runs last long enough to be cancelled. */
const runCommand = [process.execPath, '-e', 'setTimeout(() => {}, 400)'];

/** A plugin with no code: what the lifecycle calls act on without touching the plugins the matrix calls. */
function spareManifest(name: string, version: string, extra: object = {}) {
  return JSON.stringify({
    name,
    version,
    displayName: name,
    description: 'A throwaway plugin of the access matrix',
    author: { name: 'Workbench tests' },
    compatibility: { workbench: '^0.1.0', pluginApi: 1 },
    capabilities: [],
    ...extra,
  });
}
const configurable = {
  configuration: {
    schema: { type: 'object', properties: { greeting: { type: 'string' } }, additionalProperties: false },
    default: { greeting: 'hi' },
  },
};
const spares = [
  'spare-remove',
  'spare-toggle',
  'spare-update',
  'spare-pending',
  'spare-discard',
  'spare-rollback',
  'spare-deployed',
];
const spareSources: [string, string, object][] = [
  ['spare-install', '1.0.0', {}],
  ['spare-update', '1.1.0', {}],
  ['spare-rollback', '1.1.0', {}],
  ['spare-pending', '1.1.0', { capabilities: ['read-metadata'] }],
  ['spare-discard', '1.1.0', { capabilities: ['read-metadata'] }],
];

function prepare(dir: string): void {
  withFixtures('every-method')(dir);
  // A plugin with a frontend, and a stand-in of the isolation runtime: what the frame routes serve.
  writeWidgetPlugin(dir, 'framed');
  mkdirSync(path.join(dir, 'isolation/assets'), { recursive: true });
  writeFileSync(path.join(dir, 'isolation/index.html'), '<!doctype html><title>Plugin frame</title>');
  writeFileSync(path.join(dir, 'isolation/assets/main.0123abcd.js'), 'export {};');
  cpSync(path.join(repo, 'plugins/model-notes'), path.join(dir, 'plugins/model-notes'), { recursive: true });
  for (const name of [...spares, 'spare-pin', 'spare-unpin', 'spare-config']) {
    mkdirSync(path.join(dir, 'plugins', name));
    const extra = name === 'spare-config' ? configurable : {};
    writeFileSync(path.join(dir, 'plugins', name, 'manifest.json'), spareManifest(name, '1.0.0', extra));
  }
  for (const [name, version, extra] of spareSources) {
    mkdirSync(path.join(dir, 'sources', `${name}-${version}`), { recursive: true });
    writeFileSync(
      path.join(dir, 'sources', `${name}-${version}`, 'manifest.json'),
      spareManifest(name, version, extra),
    );
  }
  for (const workspace of ['alpha', 'beta']) {
    cpSync(path.join(demo, 'target'), path.join(dir, 'workspaces', workspace, 'target'), { recursive: true });
    cpSync(path.join(demo, 'seeds'), path.join(dir, 'workspaces', workspace, 'seeds'), { recursive: true });
  }
  mkdirSync(path.join(dir, 'shell/assets'), { recursive: true });
  writeFileSync(path.join(dir, 'shell/index.html'), '<!doctype html><title>dbt-Workbench</title>');
  writeFileSync(path.join(dir, 'shell/assets/app.js'), 'export {};');
}

type User = Exclude<Caller, 'anonymous' | 'deploy-token'>;
const usernames: Record<User, string> = {
  outsider: 'outsider',
  viewer: 'viewer',
  developer: 'developer',
  admin: 'ws-admin',
  'instance-admin': TEST_ADMIN.username,
};

let app: TestApp;
let origin: string;
const cookies: Partial<Record<Caller, string>> = {};
let fx: Fixtures;
/** A new session of the caller, as signing in makes one (without paying for its password hash each time). */
let sessionOf: (caller: User) => Promise<string>;
/** The secret of an API token of scope plugins:deploy: the `deploy-token` caller. */
let deployToken: string;

interface Answer {
  status: number;
  code?: string;
  text: string;
}

/** Calls the app as `cookie`: in-process, or over HTTP for a stream (closed once its headers are in). */
async function send(method: HTTPMethods, call: Call, cookie: string | undefined, stream = false): Promise<Answer> {
  const headers = { ...call.headers, ...(cookie ? { cookie } : {}) };
  if (stream) {
    const abort = new AbortController();
    const response = await fetch(`${origin}${call.url}`, { method, headers, signal: abort.signal });
    const isStream = (response.headers.get('content-type') ?? '').startsWith('text/event-stream');
    const text = isStream ? 'event stream' : await response.text();
    abort.abort();
    return { status: response.status, text, ...codeOf(text) };
  }
  const response = await app.server.inject({
    method,
    url: call.url,
    headers,
    ...(call.body === undefined ? {} : { payload: call.body as object }),
  });
  return { status: response.statusCode, text: response.body, ...codeOf(response.body) };
}

function codeOf(text: string): { code?: string } {
  try {
    const code = (JSON.parse(text) as { error?: { code?: string } }).error?.code;
    return code ? { code } : {};
  } catch {
    return {};
  }
}

async function asAdmin(method: HTTPMethods, url: string, body?: unknown): Promise<Record<string, unknown>> {
  const answer = await send(method, { url, body }, app.adminCookie);
  if (answer.status >= 300) throw new Error(`setup: ${method} ${url} answered ${answer.status} ${answer.text}`);
  return JSON.parse(answer.text) as Record<string, unknown>;
}

beforeAll(async () => {
  app = await startTestApp({
    workspaces: [
      { name: 'alpha', runCommand },
      { name: 'beta', runCommand },
    ],
    env: { SHELL_DIST_DIR: 'shell', ISOLATION_DIST_DIR: 'isolation', PLUGIN_CATALOG: path.join(repo, 'marketplace') },
    prepare,
  });
  await approve(app, 'model-notes');
  await approve(app, 'every-method');
  for (const [plugin, where] of Object.entries(enabledIn)) {
    for (const workspace of ['alpha', 'beta'].filter((w) => !where.includes(w)))
      await asAdmin('PUT', `/api/plugins/${plugin}/workspaces/${workspace}`, { enabled: false });
  }

  const sessions = createSessionStore(app.context.db, app.context.settings.sessionTtlMs);
  sessionOf = async (caller) => {
    const user = await app.context.users.findCredentials(usernames[caller]);
    return `${SESSION_COOKIE}=${(await sessions.create(user!.user.id)).token}`;
  };
  cookies['instance-admin'] = app.adminCookie;
  for (const caller of ['viewer', 'developer', 'admin', 'outsider'] as const) {
    const roles = memberships[caller];
    await asAdmin('POST', '/api/users', { username: usernames[caller], password: `${caller}-password`, roles });
    cookies[caller] = await sessionOf(caller);
  }
  await asAdmin('POST', '/api/users', { username: 'prober', password: 'prober-password-123' });
  deployToken = (await asAdmin('POST', '/api/tokens', { name: 'matrix', scopes: ['plugins:deploy'] })).token as string;
  const projectFolder = path.join(app.dir, 'dbt-project');
  mkdirSync(projectFolder);
  writeFileSync(path.join(projectFolder, 'dbt_project.yml'), 'name: matrix\n');
  let madeWorkspaces = 0;
  const spareUser = (await asAdmin('POST', '/api/users', { username: 'spare', password: 'spare-password-123' })) as {
    id: string;
  };

  const source = (folder: string) => path.join(app.dir, 'sources', folder);
  for (const name of ['spare-rollback', 'spare-pending', 'spare-discard'])
    await asAdmin('POST', `/api/plugins/${name}/update`, { path: source(`${name}-1.1.0`) });
  await asAdmin('POST', '/api/plugins/spare-unpin/pin');
  const notice = await createBudgetStore(app.context.db).addNotice({
    at: new Date().toISOString(),
    kind: 'plugin-over-budget',
    plugin: 'spare-toggle',
    message: 'spare-toggle is over budget',
  });

  const runs: Record<string, string> = {};
  const schedules: Record<string, string> = {};
  const newRun = async (workspace: string) => (await asAdmin('POST', `/api/workspaces/${workspace}/runs`)).id as string;
  const newSchedule = async (workspace: string) =>
    (
      await asAdmin('POST', `/api/workspaces/${workspace}/schedules`, {
        name: `throwaway ${Math.random()}`,
        cron: '0 5 * * *',
        enabled: false,
      })
    ).id as string;
  for (const workspace of ['alpha', 'beta']) {
    runs[workspace] = await newRun(workspace);
    schedules[workspace] = await newSchedule(workspace);
  }
  fx = {
    run: (workspace) => runs[workspace] ?? 'no-such-run',
    newRun: async (workspace) => (workspace in runs ? newRun(workspace) : 'no-such-run'),
    schedule: (workspace) => schedules[workspace] ?? 'no-such-schedule',
    newSchedule: async (workspace) => (workspace in schedules ? newSchedule(workspace) : 'no-such-schedule'),
    async newSavedQuery(caller, workspace) {
      const made = await send(
        'POST',
        {
          url: `/api/workspaces/${workspace}/sql/saved`,
          body: { name: `throwaway ${Math.random()}`, sql: 'select 1' },
        },
        cookies[caller],
      );
      return made.status === 201 ? (JSON.parse(made.text) as { id: string }).id : 'no-such-query';
    },
    revision: (plugin) => app.plugins.get(plugin)?.revision ?? 'no-such-plugin',
    async pluginToken(caller, plugin, workspace) {
      const made = await send(
        'POST',
        { url: `/api/workspaces/${workspace}/plugin-tokens`, body: { plugin } },
        cookies[caller],
      );
      return made.status === 200 ? (JSON.parse(made.text) as { token: string }).token : 'no-token';
    },
    notice: () => notice.id,
    spareUserId: () => spareUser.id,
    newUserId: async () =>
      (await asAdmin('POST', '/api/users', { username: `gone-${randomUUID().slice(0, 8)}` })).id as string,
    projectFolder: () => projectFolder,
    newWorkspace: async () =>
      (await asAdmin('POST', '/api/workspaces', { name: `gone-${(madeWorkspaces += 1)}`, projectDir: projectFolder }))
        .name as string,
    newPublicKey: () => generateKeyPairSync('ed25519').publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    async newSigningKey() {
      const key = await asAdmin('POST', '/api/signing-keys', { name: 'throwaway', publicKey: fx.newPublicKey() });
      return key.keyId as string;
    },
    deployZip: (name, version) => pluginZip(name, { version }),
    async newToken() {
      const token = await asAdmin('POST', '/api/tokens', {
        name: `throwaway ${Math.random()}`,
        scopes: ['plugins:deploy'],
      });
      return token.id as string;
    },
    source,
  };

  await app.server.listen({ port: 0, host: '127.0.0.1' });
  origin = `http://127.0.0.1:${(app.server.server.address() as AddressInfo).port}`;
}, 60_000);

afterAll(async () => {
  await app?.close();
});

/** The matrix's entries and, for each GET, its HEAD twin (Fastify serves HEAD with the GET's hooks). */
const entries: MatrixEntry[] = matrix.flatMap((entry) =>
  entry.route.startsWith('GET ')
    ? [entry, { ...entry, route: entry.route.replace(/^GET/, 'HEAD'), ok: entry.headOk ?? entry.ok }]
    : [entry],
);

describe('the verdict rule', () => {
  const ask = (access: Access, caller: Caller, workspace = 'alpha') => verdict(access, caller, workspace);
  const viewerRoute: Access = { who: 'member', role: 'viewer', workspaceIn: 'path' };
  test('anonymous callers get 401 everywhere but on public routes', () => {
    expect(ask(viewerRoute, 'anonymous')).toEqual({ status: 401, code: 'unauthorized' });
    expect(ask({ who: 'public' }, 'anonymous')).toBe('allowed');
  });
  test('a workspace the caller is not in looks like one that does not exist; a low role gets 403', () => {
    expect(ask(viewerRoute, 'outsider')).toEqual(ask(viewerRoute, 'outsider', 'nowhere'));
    expect(ask(viewerRoute, 'outsider')).toEqual({ status: 404, code: 'workspace_not_found' });
    expect(ask(viewerRoute, 'outsider', 'beta')).toBe('allowed');
    expect(ask({ ...viewerRoute, role: 'developer' }, 'viewer')).toEqual({ status: 403, code: 'forbidden' });
  });
  test('a plugin not enabled in the workspace is not there, even for its members', () => {
    const notes: Access = { who: 'member', role: 'viewer', workspaceIn: 'header', plugin: 'model-notes' };
    expect(ask(notes, 'instance-admin', 'beta')).toEqual({ status: 404, code: 'not_found' });
    expect(ask(notes, 'viewer', 'alpha')).toBe('allowed');
  });
});

describe('the route table', () => {
  test('every route the server registers has an entry in the matrix, and every entry a route', () => {
    const routes = routeTable(app.server).map((route) => `${route.method} ${route.path}`);
    const listed = entries.map((entry) => entry.route);
    expect(
      routes.filter((route) => !listed.includes(route)),
      'routes without an entry',
    ).toEqual([]);
    expect(
      listed.filter((route) => !routes.includes(route)),
      'entries without a route',
    ).toEqual([]);
    expect(new Set(listed).size, 'routes with two entries').toBe(listed.length);
    expect(routes.length).toBe(entries.length);
  });
});

describe.each(entries)('$route', (entry) => {
  const [method, pattern] = entry.route.split(' ') as [HTTPMethods, string];
  const where = entry.access.who === 'member' ? workspacesTried : ['alpha'];

  test.each(callers)('as %s', async (caller) => {
    const problems: string[] = [];
    for (const workspace of where) {
      const unique = `${caller}-${workspace}-${method}-${pattern.split('/').at(-1)}`.toLowerCase();
      const call = await entry.call({ caller, workspace, unique, fx });
      const signedIn = caller !== 'anonymous' && caller !== 'deploy-token';
      const cookie = entry.ownSession && signedIn ? await sessionOf(caller) : cookies[caller];
      if (caller === 'deploy-token') call.headers = { ...call.headers, authorization: `Bearer ${deployToken}` };
      const answer = await send(method, call, cookie, entry.stream);
      const want = verdict(entry.access, caller, workspace);
      const wanted = want === 'allowed' ? String(entry.ok) : `${want.status} ${want.code}`;
      // A HEAD answer has no body, so no error code to compare.
      const got = want === 'allowed' || method === 'HEAD' ? String(answer.status) : `${answer.status} ${answer.code}`;
      const compared = method === 'HEAD' ? wanted.split(' ')[0] : wanted;
      if (got !== compared)
        problems.push(
          `in ${workspace}: ${method} ${call.url} answered ${got}, not ${compared}: ${answer.text.slice(0, 300)}`,
        );
    }
    expect(problems).toEqual([]);
  });
});

describe("one workspace's runs and schedules, and one user's saved queries, are not reachable from elsewhere", () => {
  // alpha's objects, asked for by beta's admin through beta, and a developer's saved query by an instance admin.
  const crossings: { route: string; method: HTTPMethods; url: () => string; body?: unknown }[] = [
    { route: 'runs/:id', method: 'GET', url: () => `runs/${fx.run('alpha')}` },
    { route: 'runs/:id/log', method: 'GET', url: () => `runs/${fx.run('alpha')}/log` },
    { route: 'runs/:id/cancel', method: 'POST', url: () => `runs/${fx.run('alpha')}/cancel` },
    {
      route: 'schedules/:id',
      method: 'PUT',
      url: () => `schedules/${fx.schedule('alpha')}`,
      body: { cron: '0 6 * * *' },
    },
    { route: 'schedules/:id', method: 'DELETE', url: () => `schedules/${fx.schedule('alpha')}` },
  ];
  test.each(crossings)('$method $route of alpha through beta', async ({ method, url, body }) => {
    const answer = await send(method, { url: `/api/workspaces/beta/${url()}`, body }, cookies.outsider);
    expect(`${answer.status} ${answer.code}`, answer.text).toBe('404 not_found');
  });

  test.each(['PUT', 'DELETE'] as const)("%s another user's saved query", async (method) => {
    const id = await fx.newSavedQuery('developer', 'alpha');
    const body = method === 'PUT' ? { name: 'taken over', sql: 'select 2' } : undefined;
    const answer = await send(method, { url: `/api/workspaces/alpha/sql/saved/${id}`, body }, app.adminCookie);
    expect(`${answer.status} ${answer.code}`, answer.text).toBe('404 not_found');
    const own = await send('GET', { url: '/api/workspaces/alpha/sql/saved' }, cookies.developer);
    expect(own.text).toContain(id);
  });
});
