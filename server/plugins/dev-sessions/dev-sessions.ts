import { randomBytes } from 'node:crypto';
import { PluginManifest } from '@dbt-workbench/plugin-sdk/contracts/plugin-manifest.schema';
import type { Logger } from 'pino';
import type { Extension } from '../../../shared/api.schema.ts';
import type { ServerEvent } from '../../../shared/events.schema.ts';
import type { AuditLog } from '../../audit/audit-log.ts';
import type { Database } from '../../db/database.ts';
import type { EventStream } from '../../events/event-stream.ts';
import type { RegisteredPlugin } from '../registry.ts';

/** The replica running a backend dev slot: its process's id, and words naming it for whoever reaches another one. */
export interface DevSlotServer {
  id: string;
  label: string;
}

/** One developer's dev build of one plugin: what replaces the approved version in that developer's shells only. */
export interface DevSession {
  userId: string;
  plugin: string;
  manifest: PluginManifest;
  /** The remote entry on the developer's dev server; none for a plugin without a frontend. */
  entry?: string;
  /**
   * Changes on every rebuild, so the developer's shells load the new code. Unguessable: the isolated frame of a dev
   * build is served at /plugin-frames/<name>/<revision>/ to a frame that carries no session.
   */
  revision: string;
  /** The replica running the developer's backend dev slot of the plugin, if one does. */
  backendServer?: DevSlotServer;
  startedAt: string;
  /** Ends then unless the CLI's heartbeat (or a rebuild) extends it. */
  expiresAt: string;
}

/** The origin a dev session's code is served from (what the developer's page and frames must admit), if any. */
export const devOrigin = (session: Pick<DevSession, 'entry'>) =>
  session.entry ? new URL(session.entry).origin : undefined;

const newRevision = () => `dev-${randomBytes(16).toString('base64url')}`;

/**
 * Why a dev build may not replace `plugin` for its developer, or undefined. A dev session runs only a plugin an
 * admin installed and approved, under the same name, asking for no capability beyond the approved ones: its author
 * alone cannot bring new code or new rights to a shared server this way (that is `deploy`, through approval). A
 * dev build with a frontend names its entry; one without (a backend-only plugin) names none. Pure.
 */
export function devSessionProblem(
  plugin: RegisteredPlugin | undefined,
  name: string,
  raw: unknown,
  entry: string | undefined,
) {
  if (!plugin) return `No plugin named "${name}" is installed; deploy it and have it approved first`;
  if (plugin.state !== 'active')
    return `"${name}" is ${plugin.state}, not active; a dev session replaces an approved, active version only`;
  const parsed = PluginManifest.safeParse(raw);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.join('.') || 'manifest'}: ${i.message}`);
    return `The dev manifest is not valid: ${issues.join('; ')}`;
  }
  const manifest = parsed.data;
  if (manifest.name !== name) return `The dev manifest is for "${manifest.name}", not "${name}"`;
  if (manifest.frontend && !entry)
    return 'The dev manifest has a frontend: name the entry of its remote on your dev server';
  if (!manifest.frontend && entry)
    return 'The dev manifest has no frontend, so there is no remote entry to load: leave entry out';
  if (!manifest.frontend && !manifest.backend?.entry)
    return 'The dev manifest has neither a frontend nor a backend process: there is nothing to develop';
  const unapproved = manifest.capabilities.filter((c) => !plugin.approvedCapabilities.includes(c));
  if (unapproved.length > 0)
    return `The dev build asks for capabilities not approved for "${name}": ${unapproved.join(', ')}; deploy a version that asks for them and have an admin approve it`;
  return undefined;
}

interface Row {
  user_id: string;
  plugin: string;
  manifest: string;
  entry: string | null;
  revision: string;
  backend_server: string | null;
  backend_server_label: string | null;
  started_at: string;
  expires_at: string;
}

function sessionOf(row: Row): DevSession {
  return {
    userId: row.user_id,
    plugin: row.plugin,
    manifest: PluginManifest.parse(JSON.parse(row.manifest)),
    ...(row.entry ? { entry: row.entry } : {}),
    revision: row.revision,
    ...(row.backend_server ? { backendServer: { id: row.backend_server, label: row.backend_server_label ?? '' } } : {}),
    startedAt: row.started_at,
    expiresAt: row.expires_at,
  };
}

/** How often a replica reloads the sessions and ends expired ones: a quarter of their life, within [250 ms, 15 s]. */
export const sweepIntervalOf = (ttlMs: number) => Math.min(15_000, Math.max(250, Math.floor(ttlMs / 4)));

/**
 * The dev sessions of every replica, kept in the database (`plugin_dev_sessions`) and read through a copy in this
 * replica's memory, so the request paths that need them (a document's CSP, the extensions list, a frame) read
 * without a query. The copy is reloaded after each change made here, on `dev-sessions-changed` from another replica
 * (NOTIFY, through the event stream), on any catch-up after lost notifications, and every sweep. A session lives
 * `ttlMs` past its start, last rebuild or last heartbeat: reads leave out what expired, and the sweep deletes it and
 * tells every replica, so a CLI that crashed never leaves a dev build in a developer's page.
 */
export function createDevSessions(deps: {
  db: Database;
  events: EventStream;
  audit: AuditLog;
  ttlMs: number;
  logger: Logger;
}) {
  const { db, events, audit, ttlMs, logger } = deps;
  let all: DevSession[] = [];
  const listeners = new Set<() => void>();
  const now = () => new Date().toISOString();
  const expiry = () => new Date(Date.now() + ttlMs).toISOString();
  const live = () => {
    const at = now();
    return all.filter((session) => session.expiresAt > at);
  };

  // One reload at a time, in the order asked: an older answer finishing late never replaces a newer one, and a
  // reload asked after a write reads it.
  let reloading: Promise<void> = Promise.resolve();
  function reload(): Promise<void> {
    const next = reloading.then(async () => {
      const rows = await db.all<Row>('SELECT * FROM plugin_dev_sessions WHERE expires_at > ?', [now()]);
      all = rows.map(sessionOf);
      for (const listener of listeners) listener();
    });
    reloading = next.catch(() => undefined);
    return next;
  }
  /** The `plugins-changed` this store tells its own shells after a reload: no reason to reload again. */
  const told = new WeakSet<ServerEvent>();
  const tellShells = (plugins: string[]) => {
    const event: ServerEvent = { type: 'plugins-changed', plugins, at: now() };
    told.add(event);
    events.deliver(event);
  };
  /** After a change made here: this replica's copy first (the answer reflects it), then the others and the shells. */
  async function changed(plugins: string[]): Promise<void> {
    await reload();
    events.publish({ type: 'dev-sessions-changed', plugins, at: now() });
    tellShells(plugins);
  }
  const reloadQuietly = () =>
    reload().catch((error: unknown) => logger.warn({ err: error }, 'could not reload the dev sessions'));

  const stopFollowing = events.onDeliver((event) => {
    if (event.type === 'dev-sessions-changed') void reloadQuietly().then(() => tellShells(event.plugins));
    // A catch-up after lost notifications: dev sessions may have changed meanwhile too.
    else if (event.type === 'plugins-changed' && !told.has(event)) void reloadQuietly();
  });

  async function sweep(): Promise<void> {
    // Each row is deleted by one replica only; that one tells the others.
    const ended = await db.all<{ plugin: string; user_id: string }>(
      'DELETE FROM plugin_dev_sessions WHERE expires_at <= ? RETURNING plugin, user_id',
      [now()],
    );
    if (ended.length > 0) {
      for (const { plugin, user_id } of ended)
        await audit.record({
          actor: null,
          action: 'plugin.dev-session.end',
          target: plugin,
          details: { user: user_id, reason: `no heartbeat for ${ttlMs / 1000} s` },
        });
      await changed([...new Set(ended.map((e) => e.plugin))]);
    } else await reload();
  }
  const sweeper = setInterval(
    () => void sweep().catch((error: unknown) => logger.warn({ err: error }, 'dev session sweep failed')),
    sweepIntervalOf(ttlMs),
  );
  sweeper.unref();

  const find = (userId: string, plugin: string) =>
    live().find((session) => session.userId === userId && session.plugin === plugin);

  return {
    /** Loads the sessions that outlived a restart of this server. */
    load: reload,
    ttlMs,
    /** Starts (or replaces) `userId`'s dev session of `manifest.name`; a backend slot it had stays where it runs. */
    async start(userId: string, manifest: PluginManifest, entry: string | undefined): Promise<DevSession> {
      const at = now();
      await db.run(
        `INSERT INTO plugin_dev_sessions (user_id, plugin, manifest, entry, revision, started_at, expires_at)
         VALUES (?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (user_id, plugin) DO UPDATE SET manifest = excluded.manifest, entry = excluded.entry,
           revision = excluded.revision, started_at = excluded.started_at, expires_at = excluded.expires_at`,
        [userId, manifest.name, JSON.stringify(manifest), entry ?? null, newRevision(), at, expiry()],
      );
      await changed([manifest.name]);
      return find(userId, manifest.name)!;
    },
    /** A rebuild, at `entry` if given (on the session's own origin: refused otherwise, by the caller). */
    async rebuilt(userId: string, plugin: string, entry?: string): Promise<DevSession | undefined> {
      const result = await db.run(
        `UPDATE plugin_dev_sessions SET revision = ?, entry = COALESCE(?, entry), expires_at = ?
         WHERE user_id = ? AND plugin = ? AND expires_at > ?`,
        [newRevision(), entry ?? null, expiry(), userId, plugin, now()],
      );
      if (result.changes === 0) return undefined;
      await changed([plugin]);
      return find(userId, plugin);
    },
    /** The CLI's heartbeat: the session lives `ttlMs` longer. False when it had already ended. */
    async touch(userId: string, plugin: string): Promise<DevSession | undefined> {
      const result = await db.run(
        'UPDATE plugin_dev_sessions SET expires_at = ? WHERE user_id = ? AND plugin = ? AND expires_at > ?',
        [expiry(), userId, plugin, now()],
      );
      if (result.changes === 0) return undefined;
      await reload();
      return find(userId, plugin);
    },
    /** Records that `server` runs `userId`'s backend dev slot of `plugin` now; the one that ran it before ends it. */
    async holdBackend(userId: string, plugin: string, server: DevSlotServer): Promise<void> {
      await db.run(
        'UPDATE plugin_dev_sessions SET backend_server = ?, backend_server_label = ? WHERE user_id = ? AND plugin = ?',
        [server.id, server.label, userId, plugin],
      );
      await changed([plugin]);
    },
    async end(userId: string, plugin: string): Promise<boolean> {
      const result = await db.run('DELETE FROM plugin_dev_sessions WHERE user_id = ? AND plugin = ?', [userId, plugin]);
      if (result.changes === 0) return false;
      await changed([plugin]);
      return true;
    },
    /** `userId`'s live dev session of `plugin`. */
    get: find,
    /** `userId`'s live dev sessions, by plugin name. */
    of(userId: string): ReadonlyMap<string, DevSession> {
      return new Map(live().flatMap((session) => (session.userId === userId ? [[session.plugin, session]] : [])));
    },
    /** Every live dev session. */
    all: live,
    /** The origins this user's dev builds are served from (what that user's own documents admit), unique. */
    originsOf(userId: string): string[] {
      const origins = live().flatMap((session) => (session.userId === userId ? [devOrigin(session)] : []));
      return [...new Set(origins.filter((origin): origin is string => origin !== undefined))];
    },
    /** The dev session of `plugin` whose current revision is `revision`, whoever's it is. */
    atRevision(plugin: string, revision: string): DevSession | undefined {
      return live().find((session) => session.plugin === plugin && session.revision === revision);
    },
    /** Calls `listener` after every reload of this replica's copy. */
    onChange(listener: () => void): () => void {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    close(): void {
      clearInterval(sweeper);
      stopFollowing();
    },
  };
}
export type DevSessions = ReturnType<typeof createDevSessions>;

/** The registry's list as one developer sees it: each plugin of theirs in a dev session runs its dev build. Pure. */
export function withDevBuilds(
  plugins: readonly RegisteredPlugin[],
  sessions: ReadonlyMap<string, DevSession>,
): RegisteredPlugin[] {
  return plugins.map((plugin) => {
    const session = sessions.get(plugin.name);
    return session && plugin.state === 'active' ? withDevBuild(plugin, session) : plugin;
  });
}

/** `plugin` running `session`'s build: its manifest, its remote (unpinned: a dev build cannot be pinned). Pure. */
export function withDevBuild(plugin: RegisteredPlugin, session: DevSession): RegisteredPlugin {
  const { frontend } = session.manifest;
  const manifest =
    frontend && session.entry
      ? { ...session.manifest, frontend: { ...frontend, remote: session.entry } }
      : session.manifest;
  const { remotePin: _pin, ...rest } = plugin;
  return { ...rest, manifest, revision: session.revision };
}

/** Marks the remotes of dev builds, so the shell shows whose build runs and that it is not pinned. Pure. */
export function markDevBuilds(extensions: Extension[], sessions: ReadonlyMap<string, DevSession>): Extension[] {
  return extensions.map((extension) => {
    const origin = sessions.get(extension.plugin) && devOrigin(sessions.get(extension.plugin)!);
    if (!origin || !extension.remote) return extension;
    return { ...extension, remote: { ...extension.remote, dev: { origin } } };
  });
}
