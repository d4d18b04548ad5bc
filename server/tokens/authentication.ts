import type { FastifyInstance, FastifyRequest } from 'fastify';
import { TOKEN_PREFIX } from '../../shared/api-tokens.schema.ts';
import type { UsersRepository } from '../auth/users-repository.ts';
import { HttpError } from '../http/errors.ts';
import { scopeProblem } from './scopes.ts';
import type { StoredToken, TokenStore } from './token-store.ts';

declare module 'fastify' {
  interface FastifyRequest {
    /** The API token a request authenticated with (`Authorization: Bearer wbt_...`), or null. */
    apiToken: StoredToken | null;
  }
}

/** The secret of an `Authorization: Bearer wbt_...` header; other schemes and bearer values are not ours. */
function bearerSecret(request: FastifyRequest): string | undefined {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(request.headers.authorization ?? '');
  return match?.[1]?.startsWith(TOKEN_PREFIX) ? match[1] : undefined;
}

/** Why a token cannot be used now, or undefined. Pure. */
export function tokenProblem(token: StoredToken | undefined, now: Date): string | undefined {
  if (!token) return 'This API token is not known to this server (mistyped, or from another server)';
  if (token.revokedAt)
    return `The API token "${token.name}" was revoked on ${token.revokedAt}${token.revokedBy ? ` by ${token.revokedBy}` : ''}`;
  if (token.expiresAt <= now.toISOString())
    return `The API token "${token.name}" expired on ${token.expiresAt}; an admin can make a new one under Admin → API tokens`;
  return undefined;
}

/**
 * A request with `Authorization: Bearer wbt_...` is authenticated as that token, whatever cookie it carries: 401
 * `token_invalid` for an unknown, revoked or expired token, 403 `token_scope` on every route its scopes do not
 * open. Otherwise it acts as the admin who made it (who must still be an active instance admin), named `token:<name>` in
 * the audit log. Registered after the session's own resolution, which it overrides.
 */
export function registerTokenAuthentication(
  app: FastifyInstance,
  deps: { tokens: TokenStore; users: UsersRepository; now?: () => Date },
): void {
  const now = deps.now ?? (() => new Date());
  app.decorateRequest('apiToken', null);
  app.addHook('onRequest', async (request) => {
    const secret = bearerSecret(request);
    if (secret === undefined) return;
    request.user = null;
    const at = now();
    const token = await deps.tokens.bySecret(secret);
    const problem = tokenProblem(token, at);
    if (problem) throw new HttpError('token_invalid', problem);
    const creator = token!.createdById ? await deps.users.findById(token!.createdById) : undefined;
    if (!creator?.isInstanceAdmin || creator.deactivatedAt) {
      throw new HttpError(
        'token_invalid',
        `The API token "${token!.name}" was made by an admin who no longer is an active instance admin; make a new one`,
      );
    }
    const outOfScope = scopeProblem(token!.scopes, {
      method: request.method,
      pattern: request.routeOptions.url,
      contentType: request.headers['content-type'],
    });
    if (outOfScope) throw new HttpError('token_scope', outOfScope);
    // To the minute: an agent's calls would otherwise each write (and fsync) the database.
    if (!token!.lastUsedAt || at.getTime() - Date.parse(token!.lastUsedAt) >= 60_000)
      await deps.tokens.touch(token!.id, at);
    request.apiToken = token!;
    request.user = { ...creator, username: `token:${token!.name}`, displayName: `API token "${token!.name}"` };
  });
}
