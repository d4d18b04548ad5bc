import { randomBytes } from 'node:crypto';
import { PluginManifest } from '@dbt-workbench/plugin-sdk/contracts/plugin-manifest.schema';
import { z } from 'zod';
import type { Extension } from '../../../shared/api.schema.ts';
import type { RegisteredPlugin } from '../registry.ts';

/**
 * `PUT /api/plugins/:name/dev-session`: the dev build's manifest and the absolute URL of its remote entry on the
 * developer's own dev server (`workbench-plugin dev --server`).
 */
const DevEntry = z
  .string()
  .url('must be an absolute http(s) URL')
  .refine((url) => /^https?:\/\//.test(url), 'must be an absolute http(s) URL');

export const DevSessionBody = z.object({ manifest: z.unknown(), entry: DevEntry });

/**
 * `POST /api/plugins/:name/dev-session/builds`: a rebuild, optionally at a new entry URL on the same dev server (the
 * CLI serves each build under its own path, so the browser loads the new chunks rather than the old ones).
 */
export const DevBuildBody = z.object({ entry: DevEntry.optional() }).optional();

/** One developer's dev build of one plugin: what replaces the approved version in that developer's shells only. */
export interface DevSession {
  manifest: PluginManifest;
  entry: string;
  /**
   * Changes on every rebuild, so the developer's shells load the new code. Unguessable: the isolated frame of a dev
   * build is served at /plugin-frames/<name>/<revision>/ to a frame that carries no session.
   */
  revision: string;
}

/** The origin a dev session's code is served from (what the developer's page and frames must admit). */
export const devOrigin = (session: DevSession) => new URL(session.entry).origin;

const newRevision = () => `dev-${randomBytes(16).toString('base64url')}`;

/**
 * Why a dev build may not replace `plugin` for its developer, or undefined. A dev session runs only a plugin an
 * admin installed and approved, under the same name, asking for no capability beyond the approved ones: its author
 * alone cannot bring new code or new rights to a shared server this way (that is `deploy`, through approval). Pure.
 */
export function devSessionProblem(plugin: RegisteredPlugin | undefined, name: string, raw: unknown) {
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
  if (!manifest.frontend) return 'The dev manifest has no frontend: a dev session serves a frontend remote';
  const unapproved = manifest.capabilities.filter((c) => !plugin.approvedCapabilities.includes(c));
  if (unapproved.length > 0)
    return `The dev build asks for capabilities not approved for "${name}": ${unapproved.join(', ')}; deploy a version that asks for them and have an admin approve it`;
  return undefined;
}

/** The dev sessions of this server, in memory (a restart ends them), by user id and plugin name. */
export function createDevSessions() {
  const byUser = new Map<string, Map<string, DevSession>>();
  return {
    start(userId: string, manifest: PluginManifest, entry: string): DevSession {
      const session = { manifest, entry, revision: newRevision() };
      if (!byUser.has(userId)) byUser.set(userId, new Map());
      byUser.get(userId)!.set(manifest.name, session);
      return session;
    },
    /** A rebuild, at `entry` if given (on the session's own origin: refused otherwise, by the caller). */
    rebuilt(userId: string, plugin: string, entry?: string): DevSession | undefined {
      const session = byUser.get(userId)?.get(plugin);
      if (!session) return undefined;
      session.revision = newRevision();
      if (entry) session.entry = entry;
      return session;
    },
    end(userId: string, plugin: string): boolean {
      return byUser.get(userId)?.delete(plugin) ?? false;
    },
    of(userId: string): ReadonlyMap<string, DevSession> {
      return byUser.get(userId) ?? new Map();
    },
    /** The origins this user's dev builds are served from (what that user's own documents admit), unique. */
    originsOf(userId: string): string[] {
      return [...new Set([...(byUser.get(userId)?.values() ?? [])].map(devOrigin))];
    },
    /** The dev session of `plugin` whose current revision is `revision`, whoever's it is. */
    atRevision(plugin: string, revision: string): DevSession | undefined {
      for (const sessions of byUser.values()) {
        const session = sessions.get(plugin);
        if (session?.revision === revision) return session;
      }
      return undefined;
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
  const manifest = { ...session.manifest, frontend: { ...session.manifest.frontend!, remote: session.entry } };
  const { remotePin: _pin, ...rest } = plugin;
  return { ...rest, manifest, revision: session.revision };
}

/** Marks the remotes of dev builds, so the shell shows whose build runs and that it is not pinned. Pure. */
export function markDevBuilds(extensions: Extension[], sessions: ReadonlyMap<string, DevSession>): Extension[] {
  return extensions.map((extension) => {
    const session = sessions.get(extension.plugin);
    if (!session || !extension.remote) return extension;
    return { ...extension, remote: { ...extension.remote, dev: { origin: devOrigin(session) } } };
  });
}
