import { roleAllows, type WorkspaceRole } from '@dbt-workbench/plugin-sdk/contracts/roles';
import type { TokenScope } from '../shared/api-tokens.schema.ts';

/**
 * The access matrix: one entry per route the server registers (HEAD twins of GET routes follow their GET entry),
 * who may call it, and a concrete call to try. `server/access-matrix.test.ts` checks that the server's route
 * table and these entries agree, then makes every call as every caller, in and out of the caller's workspaces.
 */

/** The kinds of caller every route is tried as. */
/** `deploy-token` is no user: a request with an API token of scope plugins:deploy (`Authorization: Bearer wbt_...`). */
export const callers = [
  'anonymous',
  'outsider',
  'viewer',
  'developer',
  'admin',
  'instance-admin',
  'deploy-token',
] as const;
export type Caller = (typeof callers)[number];

/** Each caller's workspace roles: `outsider` belongs to beta only; the instance admin (bootstrap) to every one. */
export const memberships: Record<Caller, Record<string, WorkspaceRole>> = {
  anonymous: {},
  outsider: { beta: 'admin' },
  viewer: { alpha: 'viewer' },
  developer: { alpha: 'developer' },
  admin: { alpha: 'admin' },
  'instance-admin': { alpha: 'admin', beta: 'admin' },
  'deploy-token': {},
};

/** Workspace routes are tried in alpha, in beta and in a workspace that does not exist. */
export const workspacesTried = ['alpha', 'beta', 'nowhere'] as const;

/** Where each plugin the matrix calls is enabled: the test turns it off in the other workspaces. */
export const enabledIn: Record<string, readonly string[]> = {
  'model-notes': ['alpha'],
  'every-method': ['alpha', 'beta'],
};

/** Who may call a route. */
export type Access =
  /** Anyone, signed in or not. */
  | { who: 'public' }
  /** Any signed-in user, whatever their workspaces. */
  | { who: 'signed-in' }
  /** Instance admins only (403 for everyone else signed in); `tokenScope`: and API tokens of that scope. */
  | { who: 'instance-admin'; tokenScope?: TokenScope }
  /** Signed-in users of any workspace where `plugin` is enabled (403 for others): the shells that can load it. */
  | { who: 'shown'; plugin: string }
  /**
   * Members of the workspace with at least `role`: 404 to non-members, as for a workspace that does not exist.
   * `workspaceIn: 'header'` is `x-workbench-workspace` (plugin routes); `plugin` must be enabled there too (404
   * otherwise, as if nothing were there); its role check may be the plugin's own.
   */
  | { who: 'member'; role: WorkspaceRole; workspaceIn: 'path' | 'header'; plugin?: string }
  /** API tokens of `scope` only: a session is not enough (401), another token's scope gets 403 `token_scope`. */
  | { who: 'token'; scope: TokenScope };

/** What a caller must get: a refusal with its status and error code, or the entry's `ok` status. */
export type Verdict = { status: 401 | 403 | 404; code: string } | 'allowed';

/** The verdict for `caller` on a route with `access`, tried in `workspace`. Pure. */
export function verdict(access: Access, caller: Caller, workspace: string): Verdict {
  // A token reaches the routes its scope opens and nothing else, public ones included.
  if (caller === 'deploy-token')
    return access.who === 'instance-admin' && access.tokenScope === 'plugins:deploy'
      ? 'allowed'
      : { status: 403, code: 'token_scope' };
  if (access.who === 'token') return { status: 401, code: 'unauthorized' };
  if (access.who === 'public') return 'allowed';
  if (caller === 'anonymous') return { status: 401, code: 'unauthorized' };
  if (access.who === 'signed-in') return 'allowed';
  if (access.who === 'instance-admin')
    return caller === 'instance-admin' ? 'allowed' : { status: 403, code: 'forbidden' };
  if (access.who === 'shown') {
    const shown = Object.keys(memberships[caller]).some((w) => enabledIn[access.plugin]!.includes(w));
    return shown ? 'allowed' : { status: 403, code: 'forbidden' };
  }
  const role = memberships[caller][workspace];
  if (!role) return { status: 404, code: access.workspaceIn === 'path' ? 'workspace_not_found' : 'not_found' };
  if (access.plugin && !enabledIn[access.plugin]!.includes(workspace)) return { status: 404, code: 'not_found' };
  if (!roleAllows(role, access.role)) return { status: 403, code: 'forbidden' };
  return 'allowed';
}

/** Targets the test made before the calls, and throwaway ones it makes per call. */
export interface Fixtures {
  /** A run of the workspace (alpha or beta). */
  run(workspace: string): string;
  /** A new run, still running or queued, to cancel. */
  newRun(workspace: string): Promise<string>;
  /** A schedule of the workspace, changed the same way by every allowed call. */
  schedule(workspace: string): string;
  /** A new schedule, to delete. */
  newSchedule(workspace: string): Promise<string>;
  /** A new saved query of the caller (they are private), or an id nobody has when the caller may not save one. */
  newSavedQuery(caller: Caller, workspace: string): Promise<string>;
  /** A plugin's current revision, the path segment of its asset URLs. */
  revision(plugin: string): string;
  /** The caller's plugin token for a plugin in a workspace (what the host end of its bridge sends), if it gets one. */
  pluginToken(caller: Caller, plugin: string, workspace: string): Promise<string>;
  /** An open admin notice, to dismiss. */
  notice(): string;
  /** A user nobody signs in as, whose roles get changed. */
  spareUserId(): string;
  /** A new user, to delete. */
  newUserId(): Promise<string>;
  /** A folder on the server holding a dbt project (dbt_project.yml), for new workspaces. */
  projectFolder(): string;
  /** A new workspace of the instance admin's, to remove. */
  newWorkspace(): Promise<string>;
  /** An ed25519 public key (PEM) nobody trusts yet. */
  newPublicKey(): string;
  /** The id of a new trusted signing key, to remove. */
  newSigningKey(): Promise<string>;
  /** A zip of a throwaway plugin at `version`, as `workbench-plugin deploy` uploads it. */
  deployZip(name: string, version: string): Buffer;
  /** The id of a new API token, to revoke. */
  newToken(): Promise<string>;
  /** A folder on the server holding a plugin package (`<name>-<version>`), for install and update. */
  source(folder: string): string;
}

/** One call of the matrix: where, with what body and headers. */
export interface Call {
  url: string;
  body?: unknown;
  headers?: Record<string, string>;
}

/** What the test knows of the call it is about to make. */
export interface Target {
  caller: Caller;
  /** The workspace tried (alpha for routes outside workspaces). */
  workspace: string;
  /** A unique suffix for names the call creates. */
  unique: string;
  fx: Fixtures;
}

export interface MatrixEntry {
  /** `METHOD /path`, as the server's route table lists it. */
  route: string;
  access: Access;
  call(target: Target): Call | Promise<Call>;
  /** The status a caller gets when access allows the call. */
  ok: number;
  /** A server-sent event stream: held open, so tried over HTTP and closed after its headers. */
  stream?: true;
  /** Made with a session signed in for this call alone (signing out must not end the caller's own). */
  ownSession?: true;
  /** The status an allowed HEAD twin of this GET route gets, where it is not `ok`. */
  headOk?: number;
  /** Why the route behaves as it does, where that is not plain from `access`. */
  note?: string;
}

const ws = (t: Target) => `/api/workspaces/${t.workspace}`;
const at = (url: string) => (): Call => ({ url });
const member = (role: WorkspaceRole): Access => ({ who: 'member', role, workspaceIn: 'path' });
const instanceAdmin: Access = { who: 'instance-admin' };
const deploy: Access = { who: 'instance-admin', tokenScope: 'plugins:deploy' };
/** A package upload: how a deploy token installs and updates. */
const zip = (url: string, body: Buffer): Call => ({ url, body, headers: { 'content-type': 'application/zip' } });
const spare = (name: string) => `/api/plugins/${name}`;
const sql = { sql: 'select 1 as one' };
const ext = (t: Target, path: string, body?: unknown): Call => ({
  url: `/api/ext/${path}`,
  headers: { 'x-workbench-workspace': t.workspace },
  ...(body === undefined ? {} : { body }),
});
/** Plugins are called with GET, POST, PUT, PATCH and DELETE: a HEAD passes the server's checks, then finds nothing. */
const noHead = 404;
const everyMethod: Access = { who: 'member', role: 'viewer', workspaceIn: 'header', plugin: 'every-method' };

const shell: MatrixEntry[] = [
  { route: 'GET /', access: { who: 'public' }, call: at('/'), ok: 200, note: 'the shell page' },
  { route: 'GET /*', access: { who: 'public' }, call: at('/assets/app.js'), ok: 200, note: 'shell files' },
  {
    route: 'GET /plugins/:name/:revision/*',
    access: { who: 'public' },
    call: (t) => ({ url: `/plugins/every-method/${t.fx.revision('every-method')}/static/icon.svg` }),
    ok: 200,
    note: "an active plugin's files are code and pictures, no data: isolated frames (no cookie) load them",
  },
  {
    route: 'GET /plugin-frames/:name/:revision/',
    access: { who: 'public' },
    call: (t) => ({ url: `/plugin-frames/framed/${t.fx.revision('framed')}/` }),
    ok: 200,
    note: 'the document of an isolated frame: code, no data; a sandboxed frame sends no cookie',
  },
  {
    route: 'GET /isolation/*',
    access: { who: 'public' },
    call: at('/isolation/assets/main.0123abcd.js'),
    ok: 200,
    note: 'the isolation runtime: app code, loaded by frames with an opaque origin',
  },
];

const session: MatrixEntry[] = [
  { route: 'GET /api/info', access: { who: 'public' }, call: at('/api/info'), ok: 200 },
  {
    route: 'POST /api/auth/login',
    access: { who: 'public' },
    call: () => ({ url: '/api/auth/login', body: { username: 'prober', password: 'prober-password-123' } }),
    ok: 200,
    ownSession: true,
    note: 'signing in ends the session the request came with, so each caller signs in from a session of its own',
  },
  {
    route: 'POST /api/auth/logout',
    access: { who: 'public' },
    call: at('/api/auth/logout'),
    ok: 200,
    ownSession: true,
  },
  { route: 'GET /api/auth/me', access: { who: 'signed-in' }, call: at('/api/auth/me'), ok: 200 },
  { route: 'GET /api/events', access: { who: 'signed-in' }, call: at('/api/events'), ok: 200, stream: true },
  {
    route: 'POST /api/plugins/telemetry',
    access: { who: 'shown', plugin: 'model-notes' },
    call: () => ({
      url: '/api/plugins/telemetry',
      body: { events: [{ plugin: 'model-notes', kind: 'load', ms: 5 }] },
    }),
    ok: 204,
    note: 'model-notes is enabled in alpha only: the outsider (beta) may not report on it',
  },
];

const admin: MatrixEntry[] = [
  { route: 'GET /api/users', access: instanceAdmin, call: at('/api/users'), ok: 200 },
  {
    route: 'POST /api/users',
    access: instanceAdmin,
    call: (t) => ({ url: '/api/users', body: { username: `made-${t.unique}`, password: 'made-password-123' } }),
    ok: 201,
  },
  {
    route: 'PUT /api/users/:id/roles',
    access: instanceAdmin,
    call: (t) => ({ url: `/api/users/${t.fx.spareUserId()}/roles`, body: { roles: { beta: 'viewer' } } }),
    ok: 200,
  },
  {
    route: 'PATCH /api/users/:id',
    access: instanceAdmin,
    call: (t) => ({ url: `/api/users/${t.fx.spareUserId()}`, body: { displayName: 'Spare user' } }),
    ok: 200,
  },
  {
    route: 'POST /api/users/:id/password',
    access: instanceAdmin,
    call: (t) => ({ url: `/api/users/${t.fx.spareUserId()}/password`, body: { password: 'spare-password-456' } }),
    ok: 200,
  },
  {
    route: 'POST /api/users/:id/deactivate',
    access: instanceAdmin,
    call: (t) => ({ url: `/api/users/${t.fx.spareUserId()}/deactivate` }),
    ok: 200,
  },
  {
    route: 'POST /api/users/:id/reactivate',
    access: instanceAdmin,
    call: (t) => ({ url: `/api/users/${t.fx.spareUserId()}/reactivate` }),
    ok: 200,
  },
  {
    route: 'DELETE /api/users/:id',
    access: instanceAdmin,
    call: async (t) => ({ url: `/api/users/${await t.fx.newUserId()}` }),
    ok: 200,
  },
  { route: 'GET /api/workspaces', access: instanceAdmin, call: at('/api/workspaces'), ok: 200 },
  {
    route: 'POST /api/workspaces',
    access: instanceAdmin,
    call: (t) => ({
      url: '/api/workspaces',
      body: { name: `made-${t.caller}`.replace('instance-admin', 'ia'), projectDir: t.fx.projectFolder() },
    }),
    ok: 201,
  },
  {
    route: 'PATCH /api/workspaces/:workspace',
    access: instanceAdmin,
    call: () => ({ url: '/api/workspaces/alpha', body: { title: 'Alpha' } }),
    ok: 200,
    note: 'managing workspaces is for instance admins, whatever their role in the workspace',
  },
  {
    route: 'DELETE /api/workspaces/:workspace',
    access: instanceAdmin,
    call: async (t) => ({ url: `/api/workspaces/${await t.fx.newWorkspace()}` }),
    ok: 200,
  },
  { route: 'GET /api/audit', access: instanceAdmin, call: at('/api/audit'), ok: 200 },
  { route: 'GET /api/notices', access: instanceAdmin, call: at('/api/notices'), ok: 200 },
  {
    route: 'POST /api/notices/:id/dismiss',
    access: instanceAdmin,
    call: (t) => ({ url: `/api/notices/${t.fx.notice()}/dismiss` }),
    ok: 204,
  },
  { route: 'GET /api/marketplace', access: instanceAdmin, call: at('/api/marketplace'), ok: 200 },
  {
    route: 'GET /api/marketplace/installations',
    access: instanceAdmin,
    call: at('/api/marketplace/installations'),
    ok: 200,
  },
  { route: 'GET /api/tokens', access: instanceAdmin, call: at('/api/tokens'), ok: 200 },
  {
    route: 'POST /api/tokens',
    access: instanceAdmin,
    call: (t) => ({ url: '/api/tokens', body: { name: `token ${t.unique}`, scopes: ['plugins:deploy'] } }),
    ok: 201,
  },
  {
    route: 'DELETE /api/tokens/:id',
    access: instanceAdmin,
    call: async (t) => ({ url: `/api/tokens/${await t.fx.newToken()}` }),
    ok: 200,
  },
  {
    route: 'PUT /api/plugins/:name/dev-session',
    access: { who: 'instance-admin', tokenScope: 'plugins:dev' },
    call: () => ({
      url: '/api/plugins/model-notes/dev-session',
      body: { manifest: { name: 'model-notes' }, entry: 'http://127.0.0.1:9/remoteEntry.js' },
    }),
    ok: 409,
    note: 'past the guards, an invalid dev manifest is refused and no dev session starts',
  },
  {
    route: 'POST /api/plugins/:name/dev-session/builds',
    access: { who: 'instance-admin', tokenScope: 'plugins:dev' },
    call: () => ({ url: '/api/plugins/model-notes/dev-session/builds' }),
    ok: 404,
    note: 'past the guards: the caller has no dev session of model-notes',
  },
  {
    route: 'PUT /api/plugins/:name/dev-session/backend',
    access: { who: 'instance-admin', tokenScope: 'plugins:dev' },
    call: () => ({
      url: '/api/plugins/model-notes/dev-session/backend',
      body: { files: { 'index.ts': Buffer.from('export {}').toString('base64') } },
    }),
    ok: 404,
    note: 'past the guards: the caller has no dev session of model-notes, so no dev backend starts',
  },
  {
    route: 'POST /api/plugins/:name/dev-session/heartbeat',
    access: { who: 'instance-admin', tokenScope: 'plugins:dev' },
    call: () => ({ url: '/api/plugins/model-notes/dev-session/heartbeat' }),
    ok: 404,
    note: 'past the guards: the caller has no dev session of model-notes to keep alive',
  },
  {
    route: 'DELETE /api/plugins/:name/dev-session',
    access: { who: 'instance-admin', tokenScope: 'plugins:dev' },
    call: () => ({ url: '/api/plugins/model-notes/dev-session' }),
    ok: 404,
    note: 'past the guards: the caller has no dev session of model-notes',
  },
  { route: 'GET /api/signing-keys', access: instanceAdmin, call: at('/api/signing-keys'), ok: 200 },
  {
    route: 'POST /api/signing-keys',
    access: instanceAdmin,
    call: (t) => ({ url: '/api/signing-keys', body: { name: `key ${t.unique}`, publicKey: t.fx.newPublicKey() } }),
    ok: 201,
  },
  {
    route: 'DELETE /api/signing-keys/:id',
    access: instanceAdmin,
    call: async (t) => ({ url: `/api/signing-keys/${await t.fx.newSigningKey()}` }),
    ok: 200,
  },
  {
    route: 'GET /api/marketplace/packages/:name/:version/static/*',
    access: instanceAdmin,
    call: at('/api/marketplace/packages/dbt-glossary/1.0.0/static/icon.svg'),
    ok: 200,
  },
];

const plugins: MatrixEntry[] = [
  { route: 'GET /api/plugins', access: instanceAdmin, call: at('/api/plugins'), ok: 200 },
  {
    route: 'POST /api/plugins/install',
    access: deploy,
    call: (t) =>
      t.caller === 'deploy-token'
        ? zip('/api/plugins/install', t.fx.deployZip('spare-deploy', '1.0.0'))
        : { url: '/api/plugins/install', body: { path: t.fx.source('spare-install-1.0.0') } },
    ok: 201,
  },
  { route: 'GET /api/plugins/:name', access: deploy, call: at('/api/plugins/model-notes'), ok: 200 },
  { route: 'DELETE /api/plugins/:name', access: instanceAdmin, call: at(spare('spare-remove')), ok: 200 },
  {
    route: 'POST /api/plugins/:name/approve',
    access: instanceAdmin,
    call: () => ({ url: '/api/plugins/model-notes/approve', body: { version: '1.0.0' } }),
    ok: 200,
    note: 'approves what is already approved: nothing changes',
  },
  {
    route: 'POST /api/plugins/:name/reject',
    access: instanceAdmin,
    call: () => ({ url: '/api/plugins/model-notes/reject', body: { version: '1.0.1' } }),
    ok: 409,
    note: 'no newer build of model-notes waits: past the guards, the reviewed version is refused and nothing changes',
  },
  {
    route: 'POST /api/plugins/:name/enable',
    access: instanceAdmin,
    call: at(`${spare('spare-toggle')}/enable`),
    ok: 200,
  },
  {
    route: 'POST /api/plugins/:name/disable',
    access: instanceAdmin,
    call: at(`${spare('spare-toggle')}/disable`),
    ok: 200,
  },
  {
    route: 'POST /api/plugins/bulk',
    access: instanceAdmin,
    call: () => ({ url: '/api/plugins/bulk', body: { action: 'enable', plugins: [{ name: 'spare-toggle' }] } }),
    ok: 200,
  },
  {
    route: 'PUT /api/plugins/:name/default',
    access: instanceAdmin,
    call: () => ({ url: `${spare('spare-toggle')}/default`, body: { enabled: true } }),
    ok: 200,
  },
  {
    route: 'POST /api/plugins/:name/reload',
    access: instanceAdmin,
    call: at(`${spare('spare-toggle')}/reload`),
    ok: 200,
  },
  {
    route: 'PUT /api/plugins/:name/workspaces/:workspace',
    access: instanceAdmin,
    call: () => ({ url: `${spare('spare-toggle')}/workspaces/beta`, body: { enabled: false } }),
    ok: 200,
  },
  {
    route: 'GET /api/plugins/:name/config',
    access: instanceAdmin,
    call: at(`${spare('spare-config')}/config`),
    ok: 200,
  },
  {
    route: 'PUT /api/plugins/:name/config',
    access: instanceAdmin,
    call: () => ({ url: `${spare('spare-config')}/config`, body: { config: { greeting: 'hello' } } }),
    ok: 200,
  },
  {
    route: 'GET /api/plugins/:name/config/workspaces/:workspace',
    access: member('admin'),
    call: (t) => ({ url: `${spare('spare-config')}/config/workspaces/${t.workspace}` }),
    ok: 200,
  },
  {
    route: 'PUT /api/plugins/:name/config/workspaces/:workspace',
    access: member('admin'),
    call: (t) => ({
      url: `${spare('spare-config')}/config/workspaces/${t.workspace}`,
      body: { config: { greeting: 'hi' } },
    }),
    ok: 200,
  },
  {
    route: 'DELETE /api/plugins/:name/config/workspaces/:workspace',
    access: member('admin'),
    call: (t) => ({ url: `${spare('spare-config')}/config/workspaces/${t.workspace}` }),
    ok: 200,
  },
  {
    route: 'GET /api/plugins/:name/diagnostics',
    access: instanceAdmin,
    call: at('/api/plugins/model-notes/diagnostics'),
    ok: 200,
  },
  {
    route: 'GET /api/plugins/:name/frontend-stats',
    access: instanceAdmin,
    call: at('/api/plugins/every-method/frontend-stats'),
    ok: 200,
  },
  { route: 'GET /api/plugins/:name/logs', access: instanceAdmin, call: at('/api/plugins/model-notes/logs'), ok: 200 },
  {
    route: 'GET /api/plugins/:name/logs/stream',
    access: instanceAdmin,
    call: at('/api/plugins/model-notes/logs/stream'),
    ok: 200,
    stream: true,
  },
  {
    route: 'GET /api/plugins/:name/budget',
    access: instanceAdmin,
    call: at('/api/plugins/model-notes/budget'),
    ok: 200,
  },
  {
    route: 'PUT /api/plugins/:name/budget',
    access: instanceAdmin,
    call: () => ({ url: '/api/plugins/model-notes/budget', body: { restarts: 50 } }),
    ok: 200,
  },
  {
    route: 'POST /api/plugins/:name/update',
    access: deploy,
    call: (t) =>
      t.caller === 'deploy-token'
        ? zip(`${spare('spare-deployed')}/update`, t.fx.deployZip('spare-deployed', '1.1.0'))
        : { url: `${spare('spare-update')}/update`, body: { path: t.fx.source('spare-update-1.1.0') } },
    ok: 200,
  },
  {
    route: 'POST /api/plugins/:name/update/approve',
    access: instanceAdmin,
    call: () => ({ url: `${spare('spare-pending')}/update/approve`, body: { version: '1.1.0' } }),
    ok: 200,
    note: 'the test leaves an update of spare-pending waiting for approval',
  },
  {
    route: 'DELETE /api/plugins/:name/update',
    access: instanceAdmin,
    call: at(`${spare('spare-discard')}/update`),
    ok: 200,
    note: 'the test leaves an update of spare-discard waiting for approval',
  },
  {
    route: 'GET /api/plugins/:name/versions',
    access: instanceAdmin,
    call: at(`${spare('spare-rollback')}/versions`),
    ok: 200,
  },
  {
    route: 'POST /api/plugins/:name/rollback',
    access: instanceAdmin,
    call: at(`${spare('spare-rollback')}/rollback`),
    ok: 200,
    note: 'the test updates spare-rollback first, so a version is kept',
  },
  { route: 'POST /api/plugins/:name/pin', access: instanceAdmin, call: at(`${spare('spare-pin')}/pin`), ok: 200 },
  { route: 'POST /api/plugins/:name/unpin', access: instanceAdmin, call: at(`${spare('spare-unpin')}/unpin`), ok: 200 },
  {
    route: 'GET /api/plugins/:name/dependants',
    access: instanceAdmin,
    call: at('/api/plugins/model-notes/dependants'),
    ok: 200,
  },
  {
    route: 'PUT /api/plugins/:name/ui-trust',
    access: instanceAdmin,
    call: () => ({ url: '/api/plugins/framed/ui-trust', body: { level: 'isolated' } }),
    ok: 200,
    note: 'chooses the level framed has already: nothing changes',
  },
];

const workspace: MatrixEntry[] = [
  {
    route: 'GET /api/workspaces/:workspace/extensions',
    access: member('viewer'),
    call: (t) => ({ url: `${ws(t)}/extensions` }),
    ok: 200,
  },
  ...['catalog/status', 'catalog/summary', 'models', 'nodes/model.jaffle_shop.customers', 'search?q=customers'].map(
    (path): MatrixEntry => ({
      route: `GET /api/workspaces/:workspace/${path.replace('model.jaffle_shop.customers', ':uniqueId').replace(/\?.*/, '')}`,
      access: member('viewer'),
      call: (t) => ({ url: `${ws(t)}/${path}` }),
      ok: 200,
    }),
  ),
  {
    route: 'GET /api/workspaces/:workspace/tools',
    access: member('viewer'),
    call: (t) => ({ url: `${ws(t)}/tools` }),
    ok: 200,
  },
  {
    route: 'POST /api/workspaces/:workspace/tools/:tool/call',
    access: member('viewer'),
    call: (t) => ({ url: `${ws(t)}/tools/list_runs/call`, body: { arguments: { limit: 1 } } }),
    ok: 200,
    note: 'Each tool checks its own role on top (start_run and run_sql need a developer: server/tools/tools.test.ts)',
  },
  ...(['POST', 'GET', 'DELETE'] as const).map((method): MatrixEntry => ({
    route: `${method} /mcp/:workspace`,
    access: { who: 'token', scope: 'mcp' },
    call: (t) => ({ url: `/mcp/${t.workspace}`, ...(method === 'POST' ? { body: {} } : {}) }),
    ok: 200,
    note: 'Allowed only with an mcp token, which the matrix has no caller for: server/mcp/mcp.test.ts makes those calls',
  })),
  {
    route: 'GET /api/workspaces/:workspace/lineage',
    access: member('viewer'),
    call: (t) => ({ url: `${ws(t)}/lineage?focus=model.jaffle_shop.customers` }),
    ok: 200,
  },
  {
    route: 'GET /api/workspaces/:workspace/lineage/search',
    access: member('viewer'),
    call: (t) => ({ url: `${ws(t)}/lineage/search?q=customers` }),
    ok: 200,
  },
  {
    route: 'GET /api/workspaces/:workspace/runs',
    access: member('viewer'),
    call: (t) => ({ url: `${ws(t)}/runs` }),
    ok: 200,
  },
  {
    route: 'POST /api/workspaces/:workspace/runs',
    access: member('developer'),
    call: (t) => ({ url: `${ws(t)}/runs` }),
    ok: 201,
  },
  {
    route: 'GET /api/workspaces/:workspace/runs/:id',
    access: member('viewer'),
    call: (t) => ({ url: `${ws(t)}/runs/${t.fx.run(t.workspace)}` }),
    ok: 200,
  },
  {
    route: 'GET /api/workspaces/:workspace/runs/:id/log',
    access: member('viewer'),
    call: (t) => ({ url: `${ws(t)}/runs/${t.fx.run(t.workspace)}/log` }),
    ok: 200,
  },
  {
    route: 'POST /api/workspaces/:workspace/runs/:id/cancel',
    access: member('developer'),
    call: async (t) => ({ url: `${ws(t)}/runs/${await t.fx.newRun(t.workspace)}/cancel` }),
    ok: 200,
  },
  {
    route: 'GET /api/workspaces/:workspace/schedules',
    access: member('viewer'),
    call: (t) => ({ url: `${ws(t)}/schedules` }),
    ok: 200,
  },
  {
    route: 'POST /api/workspaces/:workspace/schedules',
    access: member('developer'),
    call: (t) => ({
      url: `${ws(t)}/schedules`,
      body: { name: `nightly ${t.unique}`, cron: '0 3 * * *', enabled: false },
    }),
    ok: 201,
  },
  {
    route: 'PUT /api/workspaces/:workspace/schedules/:id',
    access: member('developer'),
    call: (t) => ({ url: `${ws(t)}/schedules/${t.fx.schedule(t.workspace)}`, body: { cron: '0 4 * * *' } }),
    ok: 200,
  },
  {
    route: 'DELETE /api/workspaces/:workspace/schedules/:id',
    access: member('developer'),
    call: async (t) => ({ url: `${ws(t)}/schedules/${await t.fx.newSchedule(t.workspace)}` }),
    ok: 204,
  },
  {
    route: 'GET /api/workspaces/:workspace/schedules/triggers',
    access: member('viewer'),
    call: (t) => ({ url: `${ws(t)}/schedules/triggers` }),
    ok: 200,
    note: "plugins' scheduler triggers; webhook tokens only for developers (server/schedules/plugin-triggers.test.ts)",
  },
  {
    route: 'POST /api/triggers/:plugin/:workspace/:name/webhook',
    access: { who: 'public' },
    call: () => ({
      url: '/api/triggers/every-method/alpha/deploy/webhook',
      body: { ref: 'main' },
      headers: { 'x-workbench-trigger-token': 'a-guessed-token' },
    }),
    ok: 404,
    note: "a plugin trigger's webhook opens with its token only; an unknown trigger and a wrong token both answer 404",
  },
  {
    route: 'POST /api/workspaces/:workspace/sql/query',
    access: member('developer'),
    call: (t) => ({ url: `${ws(t)}/sql/query`, body: sql }),
    ok: 200,
  },
  {
    route: 'GET /api/workspaces/:workspace/sql/tables',
    access: member('developer'),
    call: (t) => ({ url: `${ws(t)}/sql/tables` }),
    ok: 200,
  },
  {
    route: 'GET /api/workspaces/:workspace/sql/saved',
    access: member('developer'),
    call: (t) => ({ url: `${ws(t)}/sql/saved` }),
    ok: 200,
  },
  {
    route: 'POST /api/workspaces/:workspace/sql/saved',
    access: member('developer'),
    call: (t) => ({ url: `${ws(t)}/sql/saved`, body: { name: `saved ${t.unique}`, ...sql } }),
    ok: 201,
  },
  {
    route: 'PUT /api/workspaces/:workspace/sql/saved/:id',
    access: member('developer'),
    call: async (t) => ({
      url: `${ws(t)}/sql/saved/${await t.fx.newSavedQuery(t.caller, t.workspace)}`,
      body: { name: `renamed ${t.unique}`, ...sql },
    }),
    ok: 200,
  },
  {
    route: 'DELETE /api/workspaces/:workspace/sql/saved/:id',
    access: member('developer'),
    call: async (t) => ({ url: `${ws(t)}/sql/saved/${await t.fx.newSavedQuery(t.caller, t.workspace)}` }),
    ok: 200,
  },
];

const pluginCalls: MatrixEntry[] = [
  {
    route: 'POST /api/workspaces/:workspace/plugin-tokens',
    access: { who: 'member', role: 'viewer', workspaceIn: 'path', plugin: 'model-notes' },
    call: (t) => ({ url: `${ws(t)}/plugin-tokens`, body: { plugin: 'model-notes' } }),
    ok: 200,
    note: 'the token the host end of a plugin bridge sends with its calls, for a plugin enabled there',
  },
  {
    route: 'GET /api/workspaces/:workspace/plugin-data/:plugin/*',
    access: { who: 'member', role: 'viewer', workspaceIn: 'path', plugin: 'model-notes' },
    call: async (t) => ({
      url: `${ws(t)}/plugin-data/model-notes/models`,
      headers: { 'x-workbench-plugin-token': await t.fx.pluginToken(t.caller, 'model-notes', t.workspace) },
    }),
    ok: 200,
    headOk: noHead,
    note: "a plugin frontend reading host data with the user's own rights, where the plugin is enabled, with its token",
  },
  {
    route: 'POST /api/workspaces/:workspace/plugin-data/:plugin/*',
    access: { who: 'member', role: 'developer', workspaceIn: 'path', plugin: 'every-method' },
    call: async (t) => ({
      url: `${ws(t)}/plugin-data/every-method/sql/query`,
      body: sql,
      headers: { 'x-workbench-plugin-token': await t.fx.pluginToken(t.caller, 'every-method', t.workspace) },
    }),
    ok: 200,
    note: 'the route lets viewers in; the SQL query it forwards, as the user, needs a developer',
  },
  {
    route: 'GET /api/ext/:plugin/*',
    access: { who: 'member', role: 'viewer', workspaceIn: 'header', plugin: 'model-notes' },
    call: (t) => ext(t, 'model-notes/notes?model=model.jaffle_shop.customers'),
    ok: 200,
    headOk: noHead,
  },
  {
    route: 'POST /api/ext/:plugin/*',
    access: { who: 'member', role: 'developer', workspaceIn: 'header', plugin: 'model-notes' },
    call: (t) => ext(t, 'model-notes/notes', { model: 'model.jaffle_shop.customers', text: `note ${t.unique}` }),
    ok: 201,
    note: "model-notes' own rule: viewers read notes, adding one needs a developer",
  },
  ...(['PUT', 'PATCH', 'DELETE'] as const).map((method): MatrixEntry => ({
    route: `${method} /api/ext/:plugin/*`,
    access: everyMethod,
    call: (t) => ext(t, 'every-method/thing', method === 'DELETE' ? undefined : { value: 1 }),
    ok: 200,
  })),
  ...(['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] as const).map((method): MatrixEntry => ({
    route: `${method} /api/ext/:plugin`,
    access: everyMethod,
    call: (t) => ext(t, 'every-method', ['GET', 'DELETE'].includes(method) ? undefined : { value: 1 }),
    ok: 200,
    ...(method === 'GET' ? { headOk: noHead } : {}),
  })),
];

/** Every entry of the matrix. */
export const matrix: readonly MatrixEntry[] = [
  ...shell,
  ...session,
  ...admin,
  ...plugins,
  ...workspace,
  ...pluginCalls,
];
