import type { FastifyRequest } from 'fastify';
import { PLUGIN_TOKEN_HEADER, type PluginToken } from '../../../shared/ui-trust.schema.ts';
import { SESSION_COOKIE } from '../../auth/sessions.ts';
import { HttpError } from '../../http/errors.ts';
import { PLUGIN_TOKEN_TTL_MS, pluginTokenProblem, sessionIdOf, signPluginToken } from './token.ts';

/**
 * Plugin tokens: the identity the server trusts for a plugin frontend's calls. The host end of a plugin's bridge
 * (the shell, never plugin code) asks for one per plugin and workspace and sends it with that plugin's calls, so
 * the server knows which plugin calls from something the plugin cannot forge, not from a name in the URL.
 */
export function createPluginTokens(options: { secret: string; now?: () => number }) {
  const now = options.now ?? Date.now;

  function sessionOf(request: FastifyRequest): string | undefined {
    const cookie = request.cookies[SESSION_COOKIE];
    return cookie && !request.apiToken ? sessionIdOf(cookie) : undefined;
  }

  function headerOf(request: FastifyRequest): string | undefined {
    const value = request.headers[PLUGIN_TOKEN_HEADER];
    return Array.isArray(value) ? value[0] : value;
  }

  function check(request: FastifyRequest, token: string, plugin: string, workspace: string): void {
    const sessionId = sessionOf(request);
    const problem = sessionId
      ? pluginTokenProblem(options.secret, token, { sessionId, plugin, workspace, now: now() })
      : 'Plugin tokens hold only for the browser session they were issued to; this request has none';
    if (problem) {
      request.log.warn({ plugin, workspace, problem }, 'plugin token refused');
      throw new HttpError('plugin_token_invalid', problem, { plugin, workspace });
    }
  }

  return {
    /** A token for the request's browser session, `plugin` and `workspace`; the caller checked they may have it. */
    issue(request: FastifyRequest, plugin: string, workspace: string): PluginToken {
      const sessionId = sessionOf(request);
      if (!sessionId)
        throw new HttpError('forbidden', 'Plugin tokens are for the app in a signed-in browser, not for API tokens');
      const expiresAt = now() + PLUGIN_TOKEN_TTL_MS;
      return {
        token: signPluginToken(options.secret, sessionId, { plugin, workspace, expiresAt }),
        expiresAt: new Date(expiresAt).toISOString(),
      };
    },

    /** Refuses (403) a call for `plugin` in `workspace` without a valid token: host data for plugin frontends. */
    require(request: FastifyRequest, plugin: string, workspace: string): void {
      const token = headerOf(request);
      if (!token) {
        throw new HttpError(
          'plugin_token_required',
          `Calls for plugin "${plugin}" need the ${PLUGIN_TOKEN_HEADER} header, which the app's bridge sends`,
          { plugin, workspace },
        );
      }
      check(request, token, plugin, workspace);
    },

    /** Refuses (403) a call carrying a token that is not valid for `plugin` in `workspace`; lets one without through. */
    checkIfPresent(request: FastifyRequest, plugin: string, workspace: string): void {
      const token = headerOf(request);
      if (token !== undefined) check(request, token, plugin, workspace);
    },
  };
}

export type PluginTokens = ReturnType<typeof createPluginTokens>;
