import { PluginManifest } from '@dbt-workbench/plugin-sdk/contracts/plugin-manifest.schema';
import { z } from 'zod';
import type { RegisteredPlugin } from '../registry.ts';

/**
 * `PUT /api/plugins/:name/dev-session`: the dev build's manifest and the absolute URL of its remote entry on the
 * developer's own dev server (`workbench-plugin dev --server`).
 */
export const DevSessionBody = z.object({
  manifest: z.unknown(),
  entry: z
    .string()
    .url('must be an absolute http(s) URL')
    .refine((url) => /^https?:\/\//.test(url), 'must be an absolute http(s) URL'),
});

/** One developer's dev build of one plugin: what replaces the approved version in that developer's shells only. */
export interface DevSession {
  manifest: PluginManifest;
  entry: string;
  /** Changes on every rebuild, so the developer's shells load the new code. */
  revision: string;
}

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
      const session = { manifest, entry, revision: `dev-${Date.now().toString(36)}` };
      if (!byUser.has(userId)) byUser.set(userId, new Map());
      byUser.get(userId)!.set(manifest.name, session);
      return session;
    },
    rebuilt(userId: string, plugin: string): DevSession | undefined {
      const session = byUser.get(userId)?.get(plugin);
      if (session) session.revision = `dev-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 6)}`;
      return session;
    },
    end(userId: string, plugin: string): boolean {
      return byUser.get(userId)?.delete(plugin) ?? false;
    },
    of(userId: string): ReadonlyMap<string, DevSession> {
      return byUser.get(userId) ?? new Map();
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
    if (!session || plugin.state !== 'active') return plugin;
    const manifest = { ...session.manifest, frontend: { ...session.manifest.frontend!, remote: session.entry } };
    const { remotePin: _pin, ...rest } = plugin;
    return { ...rest, manifest, revision: session.revision };
  });
}
