import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { WorkspaceRole } from '@dbt-workbench/plugin-sdk/contracts/roles';
import type { BackendRequest, BackendRouteMethod } from '@dbt-workbench/plugin-sdk';
import { currentUser, type Guards } from '../auth/guards.ts';
import type { UsersRepository } from '../auth/users-repository.ts';
import { HttpError } from '../http/errors.ts';
import type { PluginRegistry, RegisteredPlugin } from '../plugins/registry.ts';
import type { Workspace } from '../workspaces/config.ts';
import { callHttpBackend, forbiddenForUsers } from './http-backend.ts';
import { concurrencyLimit, createCallGate } from './call-gate.ts';
import { createRateLimiter } from './rate-limit.ts';
import {
  answerFromPlugin,
  failureToHttp,
  passedHeaders,
  pickRequestHeaders,
  type ProxyAnswer,
} from './proxy-answers.ts';
import type { BackendRuntime } from './runtime.ts';
import { pluginKey } from './signature.ts';
import type { PluginTokens } from '../plugins/plugin-tokens/service.ts';

/** The header naming the workspace a plugin route is called in; the shell's `sdk.fetch` sends it. */
export const WORKSPACE_HEADER = 'x-workbench-workspace';

export interface ProxyDeps {
  runtime: BackendRuntime;
  plugins: PluginRegistry;
  guards: Guards;
  users: UsersRepository;
  workspaces: readonly Workspace[];
  /** PLUGIN_BACKEND_SECRET (or the generated one): signs identity headers for `backend.url` plugins. */
  secret: string;
  /** PLUGIN_MAX_CONCURRENT_CALLS: route calls in flight per plugin; a manifest's `backend.limits` may go lower. */
  maxConcurrentCalls: number;
  /** A call carrying a plugin token (an isolated frame's, through the bridge) must carry one for this plugin. */
  pluginTokens: PluginTokens;
  /** The runtime of the caller's own backend dev slot of a plugin, if any: their calls go there instead. */
  devRuntimeOf?: (userId: string, plugin: string) => BackendRuntime | undefined;
}

type ExtRequest = FastifyRequest<{ Params: { plugin: string; '*'?: string } }>;

/** A call that passed the checks: who makes it, in which workspace, to which plugin. */
interface Admitted {
  user: ReturnType<typeof currentUser>;
  notFound(): HttpError;
  record: RegisteredPlugin;
  backend: NonNullable<NonNullable<RegisteredPlugin['manifest']>['backend']>;
  workspace: Workspace;
  role: WorkspaceRole;
  /** Where a `backend.entry` call goes: the plugin's backends, or the caller's own dev slot of it. */
  backends: BackendRuntime;
}

function parsedBody(request: ExtRequest): { raw: Buffer | undefined; value: unknown } {
  const raw = Buffer.isBuffer(request.body) ? request.body : undefined;
  if (!raw || raw.length === 0) return { raw: undefined, value: undefined };
  const text = raw.toString('utf8');
  if (!/json/i.test(request.headers['content-type'] ?? '')) return { raw, value: text };
  try {
    return { raw, value: JSON.parse(text) };
  } catch {
    throw new HttpError('bad_request', 'The request body is not valid JSON');
  }
}

/**
 * `/api/ext/<plugin>/*`, any method: proxied to the plugin's backend with the caller's identity and workspace.
 * 401 without a session; 404 as if nothing were there unless the caller is a member of the workspace in the
 * `x-workbench-workspace` header, the plugin is active and enabled there, and it serves that route; 429 (with
 * Retry-After) while it has as many calls in flight as it may, or past its rate; 504 past its deadline; 502 when it
 * fails or answers too much.
 */
export async function registerProxyRoutes(app: FastifyInstance, deps: ProxyDeps): Promise<void> {
  const runtime = deps.runtime;
  const settings = runtime.settings;
  const limiter = createRateLimiter(settings.ratePerSecond, settings.rateBurst);
  const gate = createCallGate();

  /** Refuses a call (429 with Retry-After) when the plugin has as many in flight as it may, or is past its rate. */
  function admit(record: RegisteredPlugin, reply: FastifyReply): () => void {
    const limit = concurrencyLimit(deps.maxConcurrentCalls, record.manifest?.backend?.limits?.maxConcurrentCalls);
    const release = gate.enter(record.name, limit);
    if (!release) {
      const message = `${limit} calls to plugin ${record.name} are in flight already, as many as it may have at once`;
      runtime.stats(record.name).refused('concurrency', message);
      reply.header('retry-after', '1');
      throw new HttpError('plugin_busy', `${message}; try again in a second`, { plugin: record.name, limit });
    }
    const wait = limiter.take(record.name);
    if (wait > 0) {
      release();
      const rate = `${settings.ratePerSecond} per second and ${settings.rateBurst} at once`;
      runtime.stats(record.name).refused('rate', `past plugin ${record.name}'s rate of ${rate}`);
      reply.header('retry-after', String(Math.ceil(wait / 1000)));
      throw new HttpError(
        'plugin_rate_limited',
        `Too many calls to plugin ${record.name} (at most ${rate}); try again in ${wait} ms`,
        { plugin: record.name, perSecond: settings.ratePerSecond, burst: settings.rateBurst },
      );
    }
    return release;
  }

  async function handle(request: ExtRequest, reply: FastifyReply): Promise<unknown> {
    const user = currentUser(request);
    const notFound = () => new HttpError('not_found', `Nothing is served at ${request.url.split('?')[0]}`);
    const record = deps.plugins.get(request.params.plugin);
    const backend = record?.manifest?.backend;
    if (!record || record.state !== 'active' || !backend) throw notFound();
    const workspaceName = String(request.headers[WORKSPACE_HEADER] ?? '');
    const workspace = deps.workspaces.find((w) => w.name === workspaceName);
    const role = workspace && (await deps.users.roleIn(user, workspace.name));
    if (!workspace || !role || !record.enabledWorkspaces.includes(workspace.name)) throw notFound();
    deps.pluginTokens.checkIfPresent(request, record.name, workspace.name);
    const release = admit(record, reply);
    try {
      const backends = deps.devRuntimeOf?.(user.id, record.name) ?? runtime;
      return await forward(request, reply, { user, notFound, record, backend, workspace, role, backends });
    } finally {
      release();
    }
  }

  async function forward(
    request: ExtRequest,
    reply: FastifyReply,
    { user, notFound, record, backend, workspace, role, backends }: Admitted,
  ): Promise<unknown> {
    const method = request.method as BackendRouteMethod;
    const path = `/${request.params['*'] ?? ''}`;
    const body = parsedBody(request);
    let answer: ProxyAnswer;
    if (backend.url) {
      const query = request.url.includes('?') ? request.url.slice(request.url.indexOf('?')) : '';
      if (forbiddenForUsers(backend.url, `${path}${query}`)) throw notFound();
      const started = performance.now();
      const label = `${method} /${path.split('/')[1] ?? ''}`;
      try {
        const result = await callHttpBackend({
          baseUrl: backend.url,
          key: pluginKey(deps.secret, record.name),
          timeoutMs: backend.limits?.timeoutMs ?? settings.timeoutMs,
          maxBodyBytes: settings.maxBodyBytes,
          method,
          pathAndQuery: `${path}${query}`,
          headers: pickRequestHeaders(request.headers),
          body: body.raw,
          identity: { plugin: record.name, userId: user.id, username: user.username, workspace: workspace.name, role },
        });
        runtime.stats(record.name).call('route', label, performance.now() - started, 'ok');
        answer = { status: result.status, headers: passedHeaders(result.headers), body: result.body };
      } catch (error) {
        runtime.stats(record.name).call('route', label, performance.now() - started, 'error', (error as Error).message);
        throw failureToHttp(record.name, error);
      }
    } else {
      const active = backends.active(record.name) ?? (await backends.ready(record.name));
      if (!active) {
        const state = backends.backendState(record.name);
        throw new HttpError(
          'plugin_unavailable',
          `Plugin ${record.name}'s backend is not running: ${state.reason ?? state.state}`,
        );
      }
      const match = active.registrations.matchRoute(method, path);
      if (!match) throw notFound();
      const payload: BackendRequest = {
        method,
        path,
        params: match.params,
        query: request.query as BackendRequest['query'],
        headers: pickRequestHeaders(request.headers),
        body: body.value,
        user: {
          id: user.id,
          username: user.username,
          displayName: user.displayName,
          isInstanceAdmin: user.isInstanceAdmin,
        },
        workspace: { name: workspace.name, role },
      };
      const label = `${method} ${match.registration.path}`;
      try {
        answer = answerFromPlugin(
          await backends.invoke(record.name, active, match.registration, payload, 'route', label),
        );
      } catch (error) {
        throw failureToHttp(record.name, error);
      }
    }
    reply.status(answer.status).headers({ ...answer.headers, 'x-workbench-plugin': record.name });
    return reply.send(answer.body);
  }

  await app.register(async (scope) => {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: settings.maxBodyBytes }, (_request, body, done) =>
      done(null, body),
    );
    const options = { preHandler: [deps.guards.requireUser], handler: handle };
    const methods = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] as const;
    scope.route({ method: [...methods], url: '/api/ext/:plugin', ...options });
    scope.route({ method: [...methods], url: '/api/ext/:plugin/*', ...options });
  });
}
