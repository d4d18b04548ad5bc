import { z } from 'zod';
import { installPackage, updatePackage } from '@dbt-workbench/plugin-sdk/contracts/deploy-api';
import { defineRoute } from '@dbt-workbench/plugin-sdk/contracts/http';
import { PluginDetail } from '../api.schema.ts';
import {
  ApprovePendingRequest,
  Installation,
  InstallationList,
  InstallPreview,
  InstallRequest,
  InstallResult,
  MarketplaceList,
  RemoveResult,
  UpdateResult,
} from '../installation.schema.ts';
import { DependantList, PluginVersions, RollbackRequest } from '../rollback.schema.ts';

// Install, update, remove, roll back and pin plugins, and the marketplace (instance admins; `install` and `update`
// also API tokens of scope plugins:deploy). A package is a zip as the raw body, or a JSON source.

const ByName = z.object({ name: z.string() });
/** `?dryRun=true`: what the version would ask for and why it would be refused, writing nothing. */
const DryRun = z.object({ dryRun: z.string().optional() });

/** 201 with the installed plugin (usually waiting for approval); 200 and a preview with `dryRun`. */
export const installPlugin = defineRoute({
  ...installPackage,
  query: DryRun,
  body: InstallRequest,
  responses: { 201: InstallResult, 200: InstallPreview },
});

/** The diff, then activation or a pending update (the old version stays active); a preview with `dryRun`. */
export const updatePlugin = defineRoute({
  ...updatePackage,
  query: DryRun,
  body: InstallRequest,
  responses: { 200: UpdateResult },
});

/** Approves the pending update the admin reviewed and swaps it in. */
export const approveUpdate = defineRoute({
  method: 'POST',
  path: '/api/plugins/:name/update/approve',
  params: ByName,
  body: ApprovePendingRequest,
  responses: { 200: UpdateResult },
});

/** Drops a pending update. */
export const discardUpdate = defineRoute({
  method: 'DELETE',
  path: '/api/plugins/:name/update',
  params: ByName,
  responses: { 200: Installation },
});

/** 409 while in flight; 409 listing its dependants unless `confirm=true` (they go inactive until it returns). */
export const removePlugin = defineRoute({
  method: 'DELETE',
  path: '/api/plugins/:name',
  params: ByName,
  query: z.object({ confirm: z.string().optional() }),
  responses: { 200: RemoveResult },
});

/** How each plugin was installed, with pending updates. */
export const listInstallations = defineRoute({
  method: 'GET',
  path: '/api/marketplace/installations',
  responses: { 200: InstallationList },
});

/** The catalog's packages with what installing each would mean here; 502 `catalog_unavailable` when unreadable. */
export const listMarketplace = defineRoute({
  method: 'GET',
  path: '/api/marketplace',
  responses: { 200: MarketplaceList },
});

/** The running version, the kept ones and the pin. */
export const listPluginVersions = defineRoute({
  method: 'GET',
  path: '/api/plugins/:name/versions',
  params: ByName,
  responses: { 200: PluginVersions },
});

/** Back to a kept version (default: the one the last update replaced); 409 when nothing is kept or it is pinned. */
export const rollbackPlugin = defineRoute({
  method: 'POST',
  path: '/api/plugins/:name/rollback',
  params: ByName,
  body: RollbackRequest,
  responses: {
    200: z.object({
      from: z.string(),
      to: z.string(),
      plugin: PluginDetail,
      installation: Installation.optional(),
      versions: PluginVersions,
    }),
  },
});

/** A pinned plugin refuses updates and rollbacks (409 naming the pin). */
export const pinPlugin = defineRoute({
  method: 'POST',
  path: '/api/plugins/:name/pin',
  params: ByName,
  responses: { 200: PluginVersions },
});

export const unpinPlugin = defineRoute({
  method: 'POST',
  path: '/api/plugins/:name/unpin',
  params: ByName,
  responses: { 200: PluginVersions },
});

/** The installed plugins that depend on it. */
export const listDependants = defineRoute({
  method: 'GET',
  path: '/api/plugins/:name/dependants',
  params: ByName,
  responses: { 200: DependantList },
});
