import { z } from 'zod';
import { PluginName } from '@dbt-workbench/plugin-sdk/contracts/plugin-manifest.schema';

/**
 * How a plugin's UI runs (SPEC 4.4): `isolated` (the default) in sandboxed frames with an opaque origin, reaching
 * only what the plugin was approved for through the bridge; `in-page` in the shell's own realm, with each user's
 * full rights. Only an instance admin chooses `in-page`.
 */
export const UiTrust = z.enum(['isolated', 'in-page']);
export type UiTrust = z.infer<typeof UiTrust>;

/** What a plugin runs at when no admin chose: isolated. */
export const DEFAULT_UI_TRUST: UiTrust = 'isolated';

/** `PUT /api/plugins/:name/ui-trust`. */
export const UiTrustBody = z.object({ level: UiTrust });
export type UiTrustBody = z.infer<typeof UiTrustBody>;

/** `POST /api/workspaces/:workspace/plugin-tokens`: a token for the host end of one plugin's bridge. */
export const PluginTokenRequest = z.object({ plugin: PluginName });
export type PluginTokenRequest = z.infer<typeof PluginTokenRequest>;

/** The answer: the token to send as `x-workbench-plugin-token`, and when it stops being accepted (ISO time). */
export const PluginToken = z.object({ token: z.string(), expiresAt: z.string() });
export type PluginToken = z.infer<typeof PluginToken>;

/** The header carrying a plugin token on `/plugin-data/` and `/api/ext/` calls. */
export const PLUGIN_TOKEN_HEADER = 'x-workbench-plugin-token';
