import { z } from 'zod';

/** Events the server pushes to open shells over `GET /api/events` (server-sent events). */
export const ServerEvent = z.discriminatedUnion('type', [
  /** Plugins were added, removed, reloaded, or changed state: refetch the extensions of every workspace. */
  z.object({ type: z.literal('plugins-changed'), plugins: z.array(z.string()), at: z.string() }),
  /** A workspace's configuration of a plugin changed: shells refetch that workspace's extensions. */
  z.object({ type: z.literal('plugin-config-changed'), plugin: z.string(), workspace: z.string(), at: z.string() }),
  /** A notice to admins was raised or dismissed: admins' shells refetch `GET /api/notices`. */
  z.object({ type: z.literal('notices-changed'), at: z.string() }),
]);
export type ServerEvent = z.infer<typeof ServerEvent>;
