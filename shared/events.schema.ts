import { z } from 'zod';
import { PluginState } from './plugin-states.ts';

/** Events the server pushes to open shells over `GET /api/events` (server-sent events). */
export const ServerEvent = z.discriminatedUnion('type', [
  /** Plugins were added, removed, reloaded, or changed state: refetch the extensions of every workspace. */
  z.object({ type: z.literal('plugins-changed'), plugins: z.array(z.string()), at: z.string() }),
  /** A workspace's configuration of a plugin changed: shells refetch that workspace's extensions. */
  z.object({ type: z.literal('plugin-config-changed'), plugin: z.string(), workspace: z.string(), at: z.string() }),
  /**
   * A plugin's reported state changed without a change on disk or by an admin: its backend started, went down or
   * came back (`loading`, `error`, `active`). Shells refetch the plugin list; the reason is in `GET /api/plugins`.
   */
  z.object({ type: z.literal('plugin-state-changed'), plugin: z.string(), state: PluginState, at: z.string() }),
  /** A notice to admins was raised or dismissed: admins' shells refetch `GET /api/notices`. */
  z.object({ type: z.literal('notices-changed'), at: z.string() }),
  /**
   * Developers' dev sessions of these plugins started, were rebuilt, moved their backend slot or ended: each replica
   * reloads them from the database and tells its own shells `plugins-changed`. Shells ignore it.
   */
  z.object({ type: z.literal('dev-sessions-changed'), plugins: z.array(z.string()), at: z.string() }),
]);
export type ServerEvent = z.infer<typeof ServerEvent>;
