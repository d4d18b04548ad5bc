import { z } from 'zod';
import { defineRoute } from '@dbt-workbench/plugin-sdk/contracts/http';
import { ApiTokenList, CreateApiTokenBody, CreatedApiToken } from '../api-tokens.schema.ts';

// Instance admins (with a session) make, list and revoke API tokens; a token's scopes never open these routes.

export const listApiTokens = defineRoute({
  method: 'GET',
  path: '/api/tokens',
  responses: { 200: ApiTokenList },
});

/** Answers the secret, the only time it is shown. */
export const createApiToken = defineRoute({
  method: 'POST',
  path: '/api/tokens',
  body: CreateApiTokenBody,
  responses: { 201: CreatedApiToken },
});

/** Revokes a token; answers the list as it is now. */
export const revokeApiToken = defineRoute({
  method: 'DELETE',
  path: '/api/tokens/:id',
  params: z.object({ id: z.string() }),
  responses: { 200: ApiTokenList },
});
