import { z } from 'zod';

/**
 * What an API token may do. `plugins:deploy`: upload a plugin package (zip) to install or update a plugin, and read
 * that plugin's state; nothing else. `mcp`: connect an agent to the MCP endpoint of a workspace (`/mcp/<workspace>`)
 * and use the tools there, with the rights of the admin who made the token; nothing else. `plugins:dev`: run a dev
 * build of an approved plugin in the shells of the admin who made the token only (`workbench-plugin dev --server`).
 */
export const TokenScope = z.enum(['plugins:deploy', 'mcp', 'plugins:dev']);
export type TokenScope = z.infer<typeof TokenScope>;

/** Every token starts with this, so a leaked one is recognisable (secret scanners) and the server tells them apart. */
export const TOKEN_PREFIX = 'wbt_';
export const DEFAULT_TOKEN_DAYS = 90;
export const MAX_TOKEN_DAYS = 365;

/** `POST /api/tokens`: a name to recognise it by (in the audit log too), its scopes and how long it lives. */
export const CreateApiTokenBody = z.object({
  name: z
    .string()
    .trim()
    .min(1, 'must not be empty')
    .max(100, 'must be at most 100 characters')
    .regex(/^[\w .:@/-]+$/, 'may hold letters, digits, spaces and . _ : @ / - only'),
  scopes: z
    .array(TokenScope)
    .min(1, 'must name at least one scope')
    .refine((scopes) => new Set(scopes).size === scopes.length, 'must not name a scope twice'),
  expiresInDays: z
    .number()
    .int('must be a whole number of days')
    .min(1, 'must be at least 1')
    .max(MAX_TOKEN_DAYS, `must be at most ${MAX_TOKEN_DAYS}`)
    .default(DEFAULT_TOKEN_DAYS),
});
export type CreateApiTokenBody = z.input<typeof CreateApiTokenBody>;

/** A token as `GET /api/tokens` lists it: never its secret. */
export const ApiToken = z.object({
  id: z.string(),
  name: z.string(),
  scopes: z.array(TokenScope),
  createdAt: z.string(),
  /** The username of the admin who made it; the token acts with their rights, within its scopes. */
  createdBy: z.string().optional(),
  expiresAt: z.string(),
  lastUsedAt: z.string().optional(),
  revokedAt: z.string().optional(),
  revokedBy: z.string().optional(),
});
export type ApiToken = z.infer<typeof ApiToken>;

export const ApiTokenList = z.object({ tokens: z.array(ApiToken) });
export type ApiTokenList = z.infer<typeof ApiTokenList>;

/** `POST /api/tokens` answers the token with its secret, the only time the secret is shown. */
export const CreatedApiToken = ApiToken.extend({ token: z.string() });
export type CreatedApiToken = z.infer<typeof CreatedApiToken>;
