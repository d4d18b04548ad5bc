import { PLUGIN_TOKEN_HEADER, type PluginToken } from '../../shared/ui-trust.schema.ts';
import { issuePluginToken } from '../../shared/http/plugins.ts';
import { ApiError, callApi } from '../api/client.ts';

/** Renewed this long before it expires, so a call never leaves with a token about to lapse. */
const RENEW_BEFORE_MS = 60_000;

/**
 * The short-lived tokens the server issues per session, plugin and workspace: the identity it trusts for a
 * plugin's calls to the host data APIs. They live here, in the page's realm, and never reach plugin code.
 */
export function createPluginTokens(
  issue: (workspace: string, plugin: string) => Promise<PluginToken> = (workspace, plugin) =>
    callApi(issuePluginToken, { params: { workspace }, body: { plugin } }),
  now: () => number = Date.now,
) {
  const issued = new Map<string, Promise<PluginToken>>();
  const keyOf = (workspace: string, plugin: string) => `${workspace}\n${plugin}`;
  async function tokenFor(workspace: string, plugin: string): Promise<string> {
    const key = keyOf(workspace, plugin);
    let pending = issued.get(key);
    if (pending) {
      const held = await pending.catch(() => undefined);
      if (!held || Date.parse(held.expiresAt) - now() < RENEW_BEFORE_MS) pending = undefined;
    }
    if (!pending) {
      pending = issue(workspace, plugin);
      issued.set(key, pending);
    }
    return (await pending).token;
  }
  return {
    /** Calls `send` with the plugin's token header, once more with a fresh token if the server refused it. */
    async withToken<T>(workspace: string, plugin: string, send: (headers: Record<string, string>) => Promise<T>) {
      try {
        return await send({ [PLUGIN_TOKEN_HEADER]: await tokenFor(workspace, plugin) });
      } catch (error) {
        if (!(error instanceof ApiError && error.code === 'plugin_token_invalid')) throw error;
        issued.delete(keyOf(workspace, plugin));
        return send({ [PLUGIN_TOKEN_HEADER]: await tokenFor(workspace, plugin) });
      }
    },
  };
}

export type PluginTokens = ReturnType<typeof createPluginTokens>;
