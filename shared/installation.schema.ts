import { z } from 'zod';
import { AccessEntry } from '@dbt-workbench/plugin-sdk/contracts/access-request';
import { PluginDetail, Rejection } from './api.schema.ts';
import { Capability } from '@dbt-workbench/plugin-sdk/contracts/capabilities';
import { PluginAuthor, PluginName } from '@dbt-workbench/plugin-sdk/contracts/plugin-manifest.schema';
import { PluginState } from './plugin-states.ts';

/**
 * The JSON body of `POST /api/plugins/install` and `POST /api/plugins/:name/update`: exactly one source.
 * A zip upload is sent instead as the raw request body with `content-type: application/zip`.
 *
 * @example { "git": "https://github.com/acme/wb-owners.git", "ref": "v1.2.0" }
 */
export const InstallRequest = z
  .object({
    /** A folder or a `.zip` file on the server, as an absolute path. */
    path: z.string().min(1, 'must not be empty').optional(),
    /** A git repository URL whose root holds `manifest.json`. */
    git: z.string().min(1, 'must not be empty').optional(),
    /** A tag, branch or commit of `git`; the default branch without one. */
    ref: z.string().min(1, 'must not be empty').optional(),
    /** A package of the marketplace catalog, by plugin name. */
    marketplace: PluginName.optional(),
    /** The catalog version to install; the newest compatible one without it. */
    version: z.string().min(1, 'must not be empty').optional(),
  })
  .superRefine((body, ctx) => {
    const given = (['path', 'git', 'marketplace'] as const).filter((key) => body[key] !== undefined);
    if (given.length !== 1) {
      ctx.addIssue({
        code: 'custom',
        path: given.length === 0 ? [] : [given[1] ?? given[0]!],
        message: `must name exactly one source: "path", "git" or "marketplace" (or send a zip as application/zip)${given.length > 1 ? `, not ${given.join(' and ')}` : ''}`,
        params: { rule: 'one-of' },
      });
    }
    if (body.ref !== undefined && body.git === undefined) {
      ctx.addIssue({ code: 'custom', path: ['ref'], message: 'ref: only goes with "git"', params: { rule: 'one-of' } });
    }
    if (body.version !== undefined && body.marketplace === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['version'],
        message: 'version: only goes with "marketplace"',
        params: { rule: 'one-of' },
      });
    }
  });
export type InstallRequest = z.infer<typeof InstallRequest>;

/** A contribution as a diff names it: its slot, id and title. */
export const ContributionRef = z.object({ slot: z.string(), id: z.string(), title: z.string().optional() });
export type ContributionRef = z.infer<typeof ContributionRef>;

/** What an update would change, shown before it is activated (SPEC 5.4). */
export const UpdateDiff = z.object({
  name: z.string(),
  from: z.object({ version: z.string().nullable(), capabilities: z.array(Capability) }),
  to: z.object({ version: z.string(), capabilities: z.array(Capability) }),
  /** Capabilities the new version declares that the installed one does not. */
  added: z.array(Capability),
  removed: z.array(Capability),
  /** Capabilities an admin must approve before the new version runs; until then the installed one stays active. */
  needsApproval: z.array(Capability),
  /**
   * The new version's whole access request (capabilities, OS grants, limits, code from elsewhere) in plain words.
   * `approved` marks what carries over from the installed version's approvals or the server's policy; the rest
   * (`needsApproval`) waits for an admin while the installed version keeps running.
   */
  access: z.object({
    request: z.array(AccessEntry),
    added: z.array(AccessEntry),
    removed: z.array(AccessEntry),
    needsApproval: z.array(AccessEntry),
  }),
  /** Contributions (UI slots) the new version adds and drops, by slot and id. */
  contributions: z.object({ added: z.array(ContributionRef), removed: z.array(ContributionRef) }),
  change: z.enum(['upgrade', 'downgrade', 'same']),
  /** Whether the new version can run on this server; `problems` say why not. */
  compatible: z.boolean(),
  problems: z.array(z.string()),
  /** Non-blocking notes: unknown manifest fields, missing static files, dependencies not installed yet. */
  warnings: z.array(z.string()),
});
export type UpdateDiff = z.infer<typeof UpdateDiff>;

/**
 * A new version waiting for an admin to approve what it adds, while the installed one keeps running: an update
 * staged in the data directory, or (source `folder`) a newer build that appeared in the plugin's own folder.
 */
export const PendingUpdate = z.object({
  version: z.string(),
  source: z.string(),
  checksum: z.string().nullable(),
  capabilities: z.array(Capability),
  stagedAt: z.string(),
  diff: UpdateDiff,
  /** An admin rejected this version (only a newer build found in the plugin's folder, source `folder`, can be). */
  rejected: Rejection.optional(),
});
export type PendingUpdate = z.infer<typeof PendingUpdate>;

/** How a plugin was installed (`plugin_installations`), with its pending update. */
export const Installation = z.object({
  name: z.string(),
  /** The installed version; for a plugin placed in the folder by hand, the version discovered. */
  version: z.string().nullable(),
  /** `upload`, `path:<path>`, `git:<url>#<ref>@<commit>`, `marketplace:<name>@<version>`, or `folder` (by hand). */
  source: z.string(),
  checksum: z.string().nullable(),
  installedAt: z.string().nullable(),
  updatedAt: z.string().nullable(),
  previousVersion: z.string().nullable(),
  /** Whether the previous version's files are kept (for a rollback). */
  previousKept: z.boolean(),
  pending: PendingUpdate.optional(),
  /**
   * Why this server could not put in place the package another replica recorded (missing, or failing its sha256
   * check): it serves its last good version meanwhile. A plugin placed by hand (`folder`) is this server's own.
   */
  packageProblem: z.string().optional(),
});
export type Installation = z.infer<typeof Installation>;

export const InstallationList = z.object({ installations: z.array(Installation) });
export type InstallationList = z.infer<typeof InstallationList>;

/** `POST /api/plugins/install` answers 201 with the installed plugin (usually waiting for approval). */
export const InstallResult = z.object({
  plugin: PluginDetail,
  installation: Installation,
  warnings: z.array(z.string()),
});
export type InstallResult = z.infer<typeof InstallResult>;

/**
 * `POST /api/plugins/install?dryRun=true`: what installing the package would ask for, before anything is written.
 * `installable` is false when `problems` say why installing it would be refused.
 */
export const InstallPreview = z.object({
  status: z.literal('preview'),
  name: z.string(),
  version: z.string(),
  displayName: z.string(),
  description: z.string(),
  /** Everything the version asks an admin for, in plain words; none of it is approved before it is installed. */
  access: z.array(AccessEntry),
  installable: z.boolean(),
  problems: z.array(z.string()),
  warnings: z.array(z.string()),
});
export type InstallPreview = z.infer<typeof InstallPreview>;

/**
 * `POST /api/plugins/:name/update`: `preview` with `?dryRun=true`; `activated` when the new version needs no new
 * approval (it replaced the old one); `pending-approval` when it waits (the old version stays active).
 */
export const UpdateResult = z.object({
  status: z.enum(['preview', 'activated', 'pending-approval']),
  diff: UpdateDiff,
  installation: Installation.optional(),
  plugin: PluginDetail.optional(),
});
export type UpdateResult = z.infer<typeof UpdateResult>;

/** The body of `POST /api/plugins/:name/update/approve`: the pending version the admin reviewed. */
export const ApprovePendingRequest = z.object({ version: z.string().min(1) });

export const RemoveResult = z.object({ removed: z.string(), version: z.string().nullable() });
export type RemoveResult = z.infer<typeof RemoveResult>;

/**
 * The marketplace index: `index.json` in a catalog folder (or at PLUGIN_CATALOG's URL). `file` is the package's
 * path or URL relative to the index; `manifest` is the package's `manifest.json`, so browsing needs no download.
 */
export const CatalogIndex = z.object({
  packages: z.array(
    z.object({
      file: z.string().min(1),
      sha256: z
        .string()
        .regex(/^[a-f0-9]{64}$/, 'must be 64 lowercase hex digits')
        .optional(),
      size: z.number().int().min(0).optional(),
      manifest: z.unknown(),
    }),
  ),
});
export type CatalogIndex = z.infer<typeof CatalogIndex>;

/** One version of a catalog package and whether it runs here. */
export const MarketplaceVersion = z.object({
  version: z.string(),
  capabilities: z.array(Capability),
  /** Everything the version asks for, in plain words, read from the catalog's copy of its manifest. */
  access: z.array(AccessEntry),
  compatible: z.boolean(),
  problems: z.array(z.string()),
  /** Dependencies not installed or out of range: installable, but inactive until they are. */
  warnings: z.array(z.string()),
});
export type MarketplaceVersion = z.infer<typeof MarketplaceVersion>;

/** A plugin of the catalog as `GET /api/marketplace` lists it: its newest version, and every version offered. */
export const MarketplaceEntry = z.object({
  name: z.string(),
  version: z.string(),
  displayName: z.string(),
  description: z.string(),
  author: PluginAuthor,
  license: z.string().optional(),
  homepage: z.string().optional(),
  categories: z.array(z.string()),
  keywords: z.array(z.string()),
  capabilities: z.array(Capability),
  compatible: z.boolean(),
  problems: z.array(z.string()),
  warnings: z.array(z.string()),
  iconUrl: z.string().optional(),
  screenshotUrls: z.array(z.string()),
  /** Newest first. */
  versions: z.array(MarketplaceVersion),
  installed: z.object({ version: z.string().nullable(), state: PluginState }).optional(),
  /** A pending update of this plugin waiting for approval. */
  pendingVersion: z.string().optional(),
  /** A newer compatible version than the installed one is offered. */
  updateAvailable: z.boolean(),
});
export type MarketplaceEntry = z.infer<typeof MarketplaceEntry>;

/** Where the catalog comes from (PLUGIN_CATALOG): its URL, or a folder on the server, whose path is never sent. */
export const CatalogSource = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('url'), url: z.string() }),
  z.object({ kind: z.literal('folder') }),
]);
export type CatalogSource = z.infer<typeof CatalogSource>;

export const MarketplaceList = z.object({
  catalog: CatalogSource,
  entries: z.array(MarketplaceEntry),
  /** Catalog entries skipped because they are unusable, each saying why. */
  problems: z.array(z.string()),
});
export type MarketplaceList = z.infer<typeof MarketplaceList>;

/** One admin action (`GET /api/admin/audit`). */
export const AuditEntryView = z.object({
  id: z.string(),
  at: z.string(),
  actorName: z.string().nullable(),
  action: z.string(),
  target: z.string().nullable(),
  workspace: z.string().nullable(),
  details: z.unknown(),
});
export type AuditEntryView = z.infer<typeof AuditEntryView>;

/** A page of the audit log, newest first, with the values the filters offer. */
export const AuditPage = z.object({
  entries: z.array(AuditEntryView),
  /** Pass the last entry's `at` as `before` to read older entries. */
  hasMore: z.boolean(),
  actions: z.array(z.string()),
  targets: z.array(z.string()),
});
export type AuditPage = z.infer<typeof AuditPage>;
