import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { UserSummary } from '../../shared/api.schema.ts';
import { WorkspaceRole } from '@dbt-workbench/plugin-sdk/contracts/roles';
import type { AuditLog } from '../audit/audit-log.ts';
import { currentUser, type Guards } from '../auth/guards.ts';
import { hashPassword } from '../auth/passwords.ts';
import type { User, UsersRepository } from '../auth/users-repository.ts';
import { parseBody } from '../http/body.ts';
import { HttpError } from '../http/errors.ts';
import type { Workspace } from '../workspaces/config.ts';

const Roles = z.record(z.string(), WorkspaceRole);

const NewUserBody = z.object({
  username: z
    .string()
    .regex(/^[a-z0-9._-]{2,40}$/, 'must be 2 to 40 lowercase letters, digits, dots, dashes or underscores'),
  displayName: z.string().trim().min(1).max(80).optional(),
  password: z.string().min(10, 'must be at least 10 characters').max(200),
  isInstanceAdmin: z.boolean().default(false),
  roles: Roles.default({}),
});

const RolesBody = z.object({ roles: Roles });

export interface UserRouteDeps {
  users: UsersRepository;
  guards: Guards;
  audit: AuditLog;
  workspaces: readonly Workspace[];
}

/** Instance admins manage users and their workspace roles. */
export function registerUserRoutes(app: FastifyInstance, deps: UserRouteDeps): void {
  const { users, guards, audit, workspaces } = deps;
  const admin = { preHandler: [guards.requireUser, guards.requireInstanceAdmin] };

  function checkWorkspaces(roles: Record<string, WorkspaceRole>): void {
    const unknown = Object.keys(roles).filter((name) => !workspaces.some((w) => w.name === name));
    if (unknown.length > 0) throw new HttpError('bad_request', `Unknown workspaces in roles: ${unknown.join(', ')}`);
  }

  async function summary(user: User): Promise<UserSummary> {
    return { ...user, roles: await users.roles(user.id) };
  }

  app.get('/api/users', admin, async () => ({ users: await Promise.all((await users.list()).map(summary)) }));

  app.post('/api/users', admin, async (request, reply) => {
    const body = parseBody(NewUserBody, request.body);
    checkWorkspaces(body.roles);
    if (await users.findCredentials(body.username))
      throw new HttpError('conflict', `The username "${body.username}" is taken`);
    const user = await users.create({
      username: body.username,
      displayName: body.displayName ?? body.username,
      passwordHash: await hashPassword(body.password),
      isInstanceAdmin: body.isInstanceAdmin,
      roles: body.roles,
    });
    await audit.record({
      actor: currentUser(request),
      action: 'user.create',
      target: user.username,
      details: { roles: body.roles, isInstanceAdmin: body.isInstanceAdmin },
    });
    reply.status(201);
    return summary(user);
  });

  app.put<{ Params: { id: string } }>('/api/users/:id/roles', admin, async (request) => {
    const { roles } = parseBody(RolesBody, request.body);
    checkWorkspaces(roles);
    const user = await users.findById(request.params.id);
    if (!user) throw new HttpError('not_found', `No user with id ${request.params.id}`);
    await users.setRoles(user.id, roles);
    await audit.record({
      actor: currentUser(request),
      action: 'user.roles',
      target: user.username,
      details: { roles },
    });
    return summary(user);
  });
}
