import { PluginManifest } from '@dbt-workbench/plugin-sdk/contracts/plugin-manifest.schema';
import type { FastifyInstance } from 'fastify';
import * as api from '../../../shared/http/dev-sessions.ts';
import type { AuditLog } from '../../audit/audit-log.ts';
import { currentUser, type Guards } from '../../auth/guards.ts';
import { contractRoute } from '../../http/contract-route.ts';
import { HttpError } from '../../http/errors.ts';
import type { PluginRegistry } from '../registry.ts';
import { MAX_DEV_BACKEND_BYTES, type DevBackends } from './dev-backends.ts';
import { devOrigin, devSessionProblem, type DevSession, type DevSessions } from './dev-sessions.ts';

function answer(name: string, session: DevSession, ttlMs: number): api.DevSessionAnswer {
  return {
    plugin: name,
    version: session.manifest.version,
    ...(session.entry ? { entry: session.entry } : {}),
    revision: session.revision,
    expiresAt: session.expiresAt,
    // The CLI beats at a quarter of the session's life, so a beat or two may be lost without ending it.
    heartbeatSeconds: Math.max(1, Math.floor(ttlMs / 4000)),
  };
}

/**
 * A developer's dev build of an approved plugin, for their own sessions only (`workbench-plugin dev --server`):
 * start or replace (PUT), announce a rebuild (POST .../builds), deploy its backend code to the developer's dev slot
 * (PUT .../backend), keep alive (POST .../heartbeat), end (DELETE: the slot too); start, backend and end are
 * audited. Instance admins, at the console or with an API token of scope `plugins:dev` (which acts as the admin who
 * made it). Sessions live in the database, so every replica serves them; each change reaches every replica's shells
 * as `plugins-changed`, and only the developer's list differs.
 */
export function registerDevSessionRoutes(
  app: FastifyInstance,
  deps: {
    registry: PluginRegistry;
    guards: Guards;
    sessions: DevSessions;
    backends: DevBackends;
    audit: AuditLog;
  },
): void {
  const admin = { guards: [deps.guards.requireUser, deps.guards.requireInstanceAdmin] };

  contractRoute(app, api.putDevSession, admin, async (request) => {
    const { name } = request.params;
    const { manifest, entry } = request.body;
    const plugin = deps.registry.list().find((p) => p.name === name);
    const problem = devSessionProblem(plugin, name, manifest, entry);
    if (problem) throw new HttpError(plugin ? 'conflict' : 'plugin_not_found', problem);
    const user = currentUser(request);
    const session = await deps.sessions.start(user.id, PluginManifest.parse(manifest), entry);
    await deps.audit.record({
      actor: user,
      action: 'plugin.dev-session.start',
      target: name,
      details: { version: session.manifest.version, ...(session.entry ? { origin: devOrigin(session) } : {}) },
    });
    return answer(name, session, deps.sessions.ttlMs);
  });

  contractRoute(app, api.postDevBuild, admin, async (request) => {
    const { name } = request.params;
    const userId = currentUser(request).id;
    const { entry } = request.body;
    const current = deps.sessions.get(userId, name);
    if (current && entry && !current.entry)
      throw new HttpError('bad_request', `The dev session of "${name}" has no frontend: a rebuild names no entry`);
    // The developer's page admits the session's origin alone (its CSP was sent when the page opened).
    if (current?.entry && entry && new URL(entry).origin !== devOrigin(current))
      throw new HttpError(
        'bad_request',
        `A rebuild must stay on the dev session's origin ${devOrigin(current)}, not ${new URL(entry).origin}; start a new session (PUT) to move`,
      );
    const session = await deps.sessions.rebuilt(userId, name, entry);
    if (!session) throw new HttpError('not_found', `You have no dev session of "${name}"; start one with PUT first`);
    return answer(name, session, deps.sessions.ttlMs);
  });

  contractRoute(app, api.postDevHeartbeat, admin, async (request) => {
    const { name } = request.params;
    const userId = currentUser(request).id;
    const session = await deps.sessions.touch(userId, name);
    if (!session)
      throw new HttpError(
        'not_found',
        `You have no dev session of "${name}": it ended (no heartbeat for ${deps.sessions.ttlMs / 1000} s, or ended elsewhere); start one with PUT`,
      );
    return {
      ...answer(name, session, deps.sessions.ttlMs),
      ...(deps.backends.lost(userId, name) ? { backendLost: true as const } : {}),
    };
  });

  // Base64 makes 4 bytes of every 3.
  const bodyLimit = Math.ceil((MAX_DEV_BACKEND_BYTES * 4) / 3) + 64 * 1024;
  contractRoute(app, api.putDevBackend, { ...admin, bodyLimit }, async (request) => {
    const { name } = request.params;
    const { files } = request.body;
    const userId = currentUser(request).id;
    if (!deps.sessions.get(userId, name))
      throw new HttpError('not_found', `You have no dev session of "${name}"; start one with PUT first`);
    const plugin = deps.registry.get(name);
    if (!plugin || plugin.state !== 'active')
      throw new HttpError('conflict', `"${name}" is not active; a dev backend replaces an active version only`);
    const deployed = await deps.backends.deploy(userId, plugin, files);
    await deps.audit.record({
      actor: currentUser(request),
      action: 'plugin.dev-session.backend',
      target: name,
      details: deployed.ok ? { build: deployed.build, files: Object.keys(files).length } : { refused: deployed.reason },
    });
    if (!deployed.ok)
      throw new HttpError('conflict', `The dev backend of "${name}" is not running: ${deployed.reason}`);
    return { plugin: name, build: deployed.build };
  });

  contractRoute(app, api.deleteDevSession, admin, async (request, reply) => {
    const { name } = request.params;
    const userId = currentUser(request).id;
    await deps.backends.end(userId, name);
    if (!(await deps.sessions.end(userId, name)))
      throw new HttpError('not_found', `You have no dev session of "${name}"`);
    await deps.audit.record({ actor: currentUser(request), action: 'plugin.dev-session.end', target: name });
    reply.status(204);
    return undefined;
  });
}
