import { z } from 'zod';
import { defineRoute } from '@dbt-workbench/plugin-sdk/contracts/http';
import { WorkspaceRole } from '@dbt-workbench/plugin-sdk/contracts/roles';
import { UserSummary } from '../api.schema.ts';

// Instance admins manage users: create, roles, password, deactivate, delete.

const Roles = z.record(z.string(), WorkspaceRole);
const Password = z.string().min(10, 'must be at least 10 characters').max(200);
const ById = z.object({ id: z.string() });
/** A password the server made up when none was given: shown once, never stored in clear. */
const GeneratedPassword = z.object({ generatedPassword: z.string().optional() });

export const listUsers = defineRoute({
  method: 'GET',
  path: '/api/users',
  responses: { 200: z.object({ users: z.array(UserSummary) }) },
});

export const createUser = defineRoute({
  method: 'POST',
  path: '/api/users',
  body: z.object({
    username: z
      .string()
      .regex(/^[a-z0-9._-]{2,40}$/, 'must be 2 to 40 lowercase letters, digits, dots, dashes or underscores'),
    displayName: z.string().trim().min(1).max(80).optional(),
    /** Generated, and answered once, when absent. */
    password: Password.optional(),
    isInstanceAdmin: z.boolean().default(false),
    roles: Roles.default({}),
  }),
  responses: { 201: UserSummary.extend(GeneratedPassword.shape) },
});

export const updateUser = defineRoute({
  method: 'PATCH',
  path: '/api/users/:id',
  params: ById,
  body: z
    .object({ displayName: z.string().trim().min(1).max(80).optional(), isInstanceAdmin: z.boolean().optional() })
    .strict(),
  responses: { 200: UserSummary },
});

export const setUserRoles = defineRoute({
  method: 'PUT',
  path: '/api/users/:id/roles',
  params: ById,
  body: z.object({ roles: Roles }),
  responses: { 200: UserSummary },
});

export const resetUserPassword = defineRoute({
  method: 'POST',
  path: '/api/users/:id/password',
  params: ById,
  body: z.object({ password: Password.optional() }).strict(),
  responses: { 200: GeneratedPassword.extend({ sessionsEnded: z.literal(true) }) },
});

export const deactivateUser = defineRoute({
  method: 'POST',
  path: '/api/users/:id/deactivate',
  params: ById,
  responses: { 200: UserSummary },
});

export const reactivateUser = defineRoute({
  method: 'POST',
  path: '/api/users/:id/reactivate',
  params: ById,
  responses: { 200: UserSummary },
});

export const deleteUser = defineRoute({
  method: 'DELETE',
  path: '/api/users/:id',
  params: ById,
  responses: { 200: z.object({ deleted: z.string() }) },
});
