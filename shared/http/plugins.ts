import { z } from 'zod';
import { getDeployedPlugin } from '@dbt-workbench/plugin-sdk/contracts/deploy-api';
import { defineRoute } from '@dbt-workbench/plugin-sdk/contracts/http';
import { PluginDetail, PluginList, WorkspaceExtensions } from '../api.schema.ts';
import { BulkPluginRequest, BulkPluginResult } from '../plugin-bulk.schema.ts';
import { PluginToken, PluginTokenRequest, UiTrustBody } from '../ui-trust.schema.ts';

// The admin plugin API: list, inspect, approve, reject, enable and disable plugins. Instance admins only.

const ByName = z.object({ name: z.string() });
/** `?confirm=true`: switching off a plugin others depend on (they go inactive until it is back). */
const Confirm = z.object({ confirm: z.string().optional() });
const ReviewedVersion = z.object({
  /** The version the admin reviewed: refused if the plugin changed meanwhile. */
  version: z.string().min(1),
});

export const listPlugins = defineRoute({ method: 'GET', path: '/api/plugins', responses: { 200: PluginList } });

export const getPlugin = defineRoute({ ...getDeployedPlugin, responses: { 200: PluginDetail } });

export const approvePlugin = defineRoute({
  method: 'POST',
  path: '/api/plugins/:name/approve',
  params: ByName,
  body: ReviewedVersion,
  responses: { 200: PluginDetail },
});

/**
 * Rejects the version waiting for approval: a newer build in the folder (the version in force keeps running) or the
 * first version (it stays `pending-approval`, never runs, and reports `rejected`). Held for that version only.
 */
export const rejectPlugin = defineRoute({
  method: 'POST',
  path: '/api/plugins/:name/reject',
  params: ByName,
  body: ReviewedVersion,
  responses: { 200: PluginDetail },
});

export const enablePlugin = defineRoute({
  method: 'POST',
  path: '/api/plugins/:name/enable',
  params: ByName,
  query: Confirm,
  responses: { 200: PluginDetail },
});

export const disablePlugin = defineRoute({
  method: 'POST',
  path: '/api/plugins/:name/disable',
  params: ByName,
  query: Confirm,
  responses: { 200: PluginDetail },
});

/** The "Enabled by default in every workspace" switch: workspaces with a rule of their own keep it. */
export const setPluginDefault = defineRoute({
  method: 'PUT',
  path: '/api/plugins/:name/default',
  params: ByName,
  query: Confirm,
  body: z.object({ enabled: z.boolean() }),
  responses: { 200: PluginDetail },
});

/** A workspace's own rule: on, off, or `null` to follow the default. */
export const setPluginInWorkspace = defineRoute({
  method: 'PUT',
  path: '/api/plugins/:name/workspaces/:workspace',
  params: z.object({ name: z.string(), workspace: z.string() }),
  body: z.object({ enabled: z.boolean().nullable() }),
  responses: { 200: PluginDetail },
});

export const bulkPlugins = defineRoute({
  method: 'POST',
  path: '/api/plugins/bulk',
  body: BulkPluginRequest,
  responses: { 200: BulkPluginResult },
});

/** Reads the plugin's folder again and restarts its backend from the code on disk (409 when it does not start). */
export const reloadPlugin = defineRoute({
  method: 'POST',
  path: '/api/plugins/:name/reload',
  params: ByName,
  responses: { 200: PluginDetail },
});

/**
 * The contributions to render in a workspace (any member): sent with a strong ETag and `no-cache`, so a browser
 * revalidates and gets `304` with no body when nothing changed.
 */
export const listExtensions = defineRoute({
  method: 'GET',
  path: '/api/workspaces/:workspace/extensions',
  params: z.object({ workspace: z.string() }),
  // A 304 has no body, and a browser's fetch hands its cached 200 to the caller instead.
  responses: { 200: WorkspaceExtensions },
});

/** A token for the host end of a plugin's bridge, bound to the caller's session and the workspace (10 minutes). */
export const issuePluginToken = defineRoute({
  method: 'POST',
  path: '/api/workspaces/:workspace/plugin-tokens',
  params: z.object({ workspace: z.string() }),
  body: PluginTokenRequest,
  responses: { 200: PluginToken },
});

/** How the plugin's UI runs: `isolated` frames or `in-page` (instance admins; audited, open shells reload it). */
export const setPluginUiTrust = defineRoute({
  method: 'PUT',
  path: '/api/plugins/:name/ui-trust',
  params: ByName,
  body: UiTrustBody,
  responses: { 200: PluginDetail },
});
