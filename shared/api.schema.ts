import { z } from 'zod';
import { AccessEntry } from '@dbt-workbench/plugin-sdk/contracts/access-request';
import { Capability } from '@dbt-workbench/plugin-sdk/contracts/capabilities';
import { PluginAuthor, PluginManifest, PluginName } from '@dbt-workbench/plugin-sdk/contracts/plugin-manifest.schema';
import { PluginHealth } from '@dbt-workbench/plugin-sdk/contracts/plugin-metrics.schema';
import { PluginState } from './plugin-states.ts';
import { WorkspaceRole } from '@dbt-workbench/plugin-sdk/contracts/roles';
import { Contribution } from '@dbt-workbench/plugin-sdk/contracts/slots';
import { ValidationProblem } from '@dbt-workbench/plugin-sdk/contracts/validation';
import { UiTrust } from './ui-trust.schema.ts';

/** Facts about the running host that the shell and plugin tooling need. */
export const HostInfo = z.object({
  version: z.string(),
  pluginApi: z.number().int(),
  pluginSystemEnabled: z.boolean(),
  /** How long the shell waits for a plugin's code before showing an error card with a retry button. */
  pluginLoadTimeoutMs: z.number().int(),
});
export type HostInfo = z.infer<typeof HostInfo>;

/** An admin's "no" to a version waiting for approval: who said it and when (ISO time). It holds for that version only. */
export const Rejection = z.object({ by: z.string(), at: z.string() });
export type Rejection = z.infer<typeof Rejection>;

/** A plugin as `GET /api/plugins` lists it. Fields from the manifest are absent when it could not be read. */
export const PluginSummary = z.object({
  name: z.string(),
  directory: z.string(),
  state: PluginState,
  reason: z.string().optional(),
  version: z.string().optional(),
  displayName: z.string().optional(),
  description: z.string().optional(),
  author: PluginAuthor.optional(),
  capabilities: z.array(Capability),
  /** The declared capabilities approved for this version (by an admin or the server's policy). */
  approvedCapabilities: z.array(Capability),
  /**
   * Everything this version asks for (capabilities, OS grants, limits above the defaults, code from elsewhere), in
   * plain words, each with whether it is approved; empty when the manifest could not be read.
   */
  access: z.array(AccessEntry),
  /** Whether the manifest declares a configuration an admin can set. */
  configurable: z.boolean(),
  /** Whether the plugin has a backend (a sandboxed process or a deployed URL). */
  hasBackend: z.boolean(),
  /**
   * Present while its backend has no process (it starts when first needed: a route, an event, a hook, a tool);
   * `since`: when it stopped for being idle (PLUGIN_BACKEND_IDLE_MS), absent when it has not run since the server started.
   */
  backendIdle: z.object({ since: z.string().optional() }).optional(),
  /** How its UI runs: `isolated` (sandboxed frames, the default) or `in-page` (with each user's full rights). */
  uiTrust: UiTrust,
  /** Where the plugin is enabled; empty when it is not active. */
  enabledWorkspaces: z.array(z.string()),
  /** The admins' rules: a global switch (absent: the server default) and per-workspace overrides. */
  enablement: z.object({ global: z.boolean().optional(), workspaces: z.record(z.string(), z.boolean()) }),
  iconUrl: z.string().optional(),
  /** Who signed the package, when its signature verified against a trusted key (PLUGIN_TRUSTED_KEYS). */
  signedBy: z.string().optional(),
  problems: z.array(ValidationProblem),
  warnings: z.array(ValidationProblem),
  /**
   * Set while the version above waits for its first approval (`pending-approval`) and an admin rejected it: it never
   * runs, and the card stops asking until it is approved after all, removed, or a newer version arrives.
   */
  rejected: Rejection.optional(),
  /** A newer build in its folder failed to load; the version above keeps running. */
  reloadError: z
    .object({
      state: PluginState,
      reason: z.string(),
      problems: z.array(ValidationProblem),
      version: z.string().optional(),
    })
    .optional(),
  discoveredAt: z.string(),
  /** Health at a glance from its recent cost (absent while the cost history is off). */
  health: PluginHealth.optional(),
});
export type PluginSummary = z.infer<typeof PluginSummary>;

export const PluginList = z.object({ plugins: z.array(PluginSummary) });
export type PluginList = z.infer<typeof PluginList>;

/** `GET /api/plugins/:name`: the summary plus the whole manifest and where its assets are served. */
export const PluginDetail = PluginSummary.extend({
  manifest: PluginManifest.optional(),
  assetsBaseUrl: z.string().optional(),
});
export type PluginDetail = z.infer<typeof PluginDetail>;

/** Where the shell loads a plugin's remote from. `revision` changes whenever the build changes. */
export const RemoteRef = z.object({
  /** The plugin the remote belongs to. */
  plugin: z.string(),
  name: z.string(),
  entry: z.string(),
  chunkGlobal: z.string(),
  revision: z.string(),
  /**
   * A remote deployed at its own URL loads only as pinned when an admin approved it: the sha256 of its
   * mf-manifest.json (or remoteEntry.js) and the SRI of every file it lists, by absolute URL.
   */
  pin: z.object({ manifestSha256: z.string(), integrity: z.record(z.string(), z.string()) }).optional(),
  /**
   * Set when this is the user's own dev build (`workbench-plugin dev --server`): served unpinned from `origin`, the
   * developer's dev server; only that developer's extensions carry it.
   */
  dev: z.object({ origin: z.string() }).optional(),
});
export type RemoteRef = z.infer<typeof RemoteRef>;

/** A contribution ready to render: the manifest entry plus which plugin it comes from. */
export const Extension = z.intersection(
  Contribution,
  z.object({
    plugin: PluginName,
    pluginDisplayName: z.string(),
    pluginVersion: z.string(),
    /** The plugin's configuration as it runs (never put secrets in it: every member's browser gets it). */
    pluginConfig: z.record(z.string(), z.unknown()),
    /** How the plugin's UI runs: in a sandboxed frame (`isolated`) or in the shell's own realm (`in-page`). */
    uiTrust: UiTrust,
    /** The approved capabilities of the running version: the host end of an isolated plugin's bridge checks them. */
    pluginCapabilities: z.array(Capability),
    remote: RemoteRef.optional(),
  }),
);
export type Extension = z.infer<typeof Extension>;

export const WorkspaceExtensions = z.object({
  workspace: z.string(),
  extensions: z.array(Extension),
});
export type WorkspaceExtensions = z.infer<typeof WorkspaceExtensions>;

/** The signed-in user as the shell sees it (`GET /api/auth/me`). */
export const Me = z.object({
  user: z.object({ id: z.string(), username: z.string(), displayName: z.string(), isInstanceAdmin: z.boolean() }),
  workspaces: z.array(z.object({ name: z.string(), title: z.string(), role: WorkspaceRole })),
});
export type Me = z.infer<typeof Me>;

/** A user as instance admins see it (`GET /api/users`). */
export const UserSummary = z.object({
  id: z.string(),
  username: z.string(),
  displayName: z.string(),
  isInstanceAdmin: z.boolean(),
  createdAt: z.string(),
  /** When an admin deactivated the user (who cannot sign in then), or null. */
  deactivatedAt: z.string().nullable(),
  /** Explicit memberships; an instance admin is also admin of every workspace without one. */
  roles: z.record(z.string(), WorkspaceRole),
});
export type UserSummary = z.infer<typeof UserSummary>;

/** A workspace as instance admins manage it (`GET /api/workspaces`). */
export const WorkspaceListing = z.object({
  name: z.string(),
  title: z.string(),
  projectDir: z.string(),
  targetDir: z.string(),
  /** The workspaces file's entry, one added in the app, or the file's entry changed in the app (the app's wins). */
  source: z.enum(['file', 'app', 'file-changed-in-app']),
  /** Whether target/manifest.json is there now; the catalog loads it as soon as it is. */
  hasManifest: z.boolean(),
});
export type WorkspaceListing = z.infer<typeof WorkspaceListing>;

/** `GET|PUT /api/plugins/:name/config`. */
export const PluginConfigView = z.object({
  schema: z.record(z.string(), z.unknown()).nullable(),
  default: z.unknown(),
  stored: z.record(z.string(), z.unknown()).nullable(),
  value: z.record(z.string(), z.unknown()).nullable(),
  problems: z.array(ValidationProblem),
});
export type PluginConfigView = z.infer<typeof PluginConfigView>;

/** `GET|PUT|DELETE /api/plugins/:name/config/workspaces/:workspace`: a workspace's override over the global one. */
export const PluginWorkspaceConfigView = z.object({
  workspace: z.string(),
  global: z.record(z.string(), z.unknown()),
  override: z.record(z.string(), z.unknown()),
  /** The top-level fields the workspace overrides; each replaces the global field whole. */
  overridden: z.array(z.string()),
  value: z.record(z.string(), z.unknown()),
});
export type PluginWorkspaceConfigView = z.infer<typeof PluginWorkspaceConfigView>;
