import { z } from 'zod';

/** `POST /api/plugins/:name/rollback`: the kept version to go back to; absent means the one the last update replaced. */
export const RollbackRequest = z.object({ version: z.string().min(1).optional() });
export type RollbackRequest = z.infer<typeof RollbackRequest>;

/** Who pinned a plugin and when: a pinned plugin is never updated until unpinned. */
export const PluginPin = z.object({ version: z.string().nullable(), by: z.string().nullable(), at: z.string() });
export type PluginPin = z.infer<typeof PluginPin>;

/** `GET /api/plugins/:name/versions`: the running version, the kept ones a rollback can return to, and the pin. */
export const PluginVersions = z.object({
  name: z.string(),
  current: z.string().nullable(),
  /** Kept previous versions, newest first; at most PLUGIN_KEEP_VERSIONS. */
  kept: z.array(z.string()),
  /** The version a rollback without a body returns to (the one the last update replaced), if still kept. */
  previous: z.string().nullable(),
  pin: PluginPin.nullable(),
});
export type PluginVersions = z.infer<typeof PluginVersions>;

/** An installed plugin whose manifest depends on another. */
export const Dependant = z.object({ name: z.string(), range: z.string(), state: z.string() });
export type Dependant = z.infer<typeof Dependant>;

/**
 * `GET /api/plugins/:name/dependants`. Removing or globally disabling a plugin with dependants answers 409 (details:
 * `{dependants}`) unless the request carries `?confirm=true`; the dependants then go inactive until it returns.
 */
export const DependantList = z.object({ name: z.string(), dependants: z.array(Dependant) });
export type DependantList = z.infer<typeof DependantList>;
