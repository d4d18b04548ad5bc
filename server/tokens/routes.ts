import type { FastifyInstance } from 'fastify';
import * as api from '../../shared/http/tokens.ts';
import { createAuditLog } from '../audit/audit-log.ts';
import { currentUser, type Guards } from '../auth/guards.ts';
import type { Database } from '../db/database.ts';
import { contractRoute } from '../http/contract-route.ts';
import { HttpError } from '../http/errors.ts';
import { createTokenStore, listed } from './token-store.ts';

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * `POST /api/tokens` `{name, scopes, expiresInDays?}` (answers the secret once), `GET /api/tokens` (never the
 * secret), `DELETE /api/tokens/:id` (revoke). Instance admins with a session: a token's scopes never open these.
 * Each change is audited.
 */
export function registerTokenRoutes(app: FastifyInstance, deps: { guards: Guards; db: Database }): void {
  const { db, guards } = deps;
  const admin = { guards: [guards.requireUser, guards.requireInstanceAdmin] };
  const tokens = createTokenStore(db);

  contractRoute(app, api.listApiTokens, admin, async () => ({ tokens: (await tokens.list()).map(listed) }));

  contractRoute(app, api.createApiToken, admin, async (request, reply) => {
    const body = request.body;
    const clash = (await tokens.list()).find((t) => t.name === body.name && !t.revokedAt);
    if (clash)
      throw new HttpError('conflict', `A token named "${body.name}" exists already: revoke it or pick another name`);
    const user = currentUser(request);
    const expiresAt = new Date(Date.now() + body.expiresInDays * DAY_MS);
    const made = await db.transaction(async (tx) => {
      const created = await createTokenStore(tx).create({ ...body, createdBy: user.id, expiresAt });
      await createAuditLog(tx).record({
        actor: user,
        action: 'token.create',
        target: body.name,
        details: { id: created.token.id, scopes: body.scopes, expiresAt: created.token.expiresAt },
      });
      return created;
    });
    reply.code(201);
    return { ...listed(made.token), token: made.secret };
  });

  contractRoute(app, api.revokeApiToken, admin, async (request) => {
    const token = await tokens.get(request.params.id);
    if (!token) throw new HttpError('not_found', `No API token with id "${request.params.id}"`);
    if (token.revokedAt) throw new HttpError('conflict', `The token "${token.name}" was revoked already`);
    const user = currentUser(request);
    await db.transaction(async (tx) => {
      await createTokenStore(tx).revoke(token.id, user.id);
      await createAuditLog(tx).record({
        actor: user,
        action: 'token.revoke',
        target: token.name,
        details: { id: token.id },
      });
    });
    return { tokens: (await tokens.list()).map(listed) };
  });
}
