import { randomBytes } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { UserSummary } from '../../shared/api.schema.ts';
import * as api from '../../shared/http/users.ts';
import type { WorkspaceRole } from '@dbt-workbench/plugin-sdk/contracts/roles';
import type { AuditLog } from '../audit/audit-log.ts';
import { currentUser, type Guards } from '../auth/guards.ts';
import { hashPassword } from '../auth/passwords.ts';
import type { User, UsersRepository } from '../auth/users-repository.ts';
import { contractRoute } from '../http/contract-route.ts';
import { HttpError } from '../http/errors.ts';
import type { Workspace } from '../workspaces/config.ts';

export interface UserRouteDeps {
  users: UsersRepository;
  guards: Guards;
  audit: AuditLog;
  /** Every workspace in effect, kept current as admins change them. */
  workspaces: readonly Workspace[];
}

/** A password for an admin to hand over: 16 characters, about 96 bits. */
const generatedPassword = () => randomBytes(12).toString('base64url');

/** Instance admins manage users: create, roles, password, deactivate, delete. Every change is audited. */
export function registerUserRoutes(app: FastifyInstance, deps: UserRouteDeps): void {
  const { users, guards, audit, workspaces } = deps;
  const admin = { guards: [guards.requireUser, guards.requireInstanceAdmin] };

  function checkWorkspaces(roles: Record<string, WorkspaceRole>): void {
    const unknown = Object.keys(roles).filter((name) => !workspaces.some((w) => w.name === name));
    if (unknown.length > 0) throw new HttpError('bad_request', `Unknown workspaces in roles: ${unknown.join(', ')}`);
  }

  async function target(request: FastifyRequest<{ Params: { id: string } }>): Promise<User> {
    const user = await users.findById(request.params.id);
    if (!user) throw new HttpError('not_found', `No user with id ${request.params.id}`);
    return user;
  }

  /** 409 when `user` is the last active instance admin, who would leave nobody able to manage the instance. */
  async function keepOneAdmin(user: User, doing: string): Promise<void> {
    if (user.isInstanceAdmin && !user.deactivatedAt && (await users.activeInstanceAdmins()) <= 1)
      throw new HttpError(
        'conflict',
        `${user.username} is the last active instance admin and cannot be ${doing}; make another user an instance admin first`,
      );
  }

  // Changes that could remove an instance admin run one at a time, so two at once cannot remove the last two.
  let adminChanges: Promise<unknown> = Promise.resolve();
  function oneAtATime<T>(work: () => Promise<T>): Promise<T> {
    const next = adminChanges.then(work);
    adminChanges = next.catch(() => undefined);
    return next;
  }

  function notSelf(request: FastifyRequest, user: User, doing: string): void {
    if (currentUser(request).id === user.id)
      throw new HttpError('conflict', `You cannot ${doing} your own account; another instance admin can`);
  }

  async function summary(user: User): Promise<UserSummary> {
    return { ...user, roles: await users.roles(user.id) };
  }

  const record = (request: FastifyRequest, action: string, user: User, details?: unknown) =>
    audit.record({ actor: currentUser(request), action, target: user.username, details });

  contractRoute(app, api.listUsers, admin, async () => {
    const [all, roles] = await Promise.all([users.list(), users.rolesByUser()]);
    return { users: all.map((user) => ({ ...user, roles: roles.get(user.id) ?? {} })) };
  });

  contractRoute(app, api.createUser, admin, async (request, reply) => {
    const body = request.body;
    checkWorkspaces(body.roles);
    if (await users.findCredentials(body.username))
      throw new HttpError('conflict', `The username "${body.username}" is taken`);
    const password = body.password ?? generatedPassword();
    const user = await users.create({
      username: body.username,
      displayName: body.displayName ?? body.username,
      passwordHash: await hashPassword(password),
      isInstanceAdmin: body.isInstanceAdmin,
      roles: body.roles,
    });
    await record(request, 'user.create', user, {
      roles: body.roles,
      isInstanceAdmin: body.isInstanceAdmin,
      passwordGenerated: !body.password,
    });
    reply.status(201);
    return { ...(await summary(user)), ...(body.password ? {} : { generatedPassword: password }) };
  });

  contractRoute(app, api.updateUser, admin, async (request) => {
    const changes = request.body;
    return oneAtATime(async () => {
      const user = await target(request);
      if (changes.isInstanceAdmin === false) await keepOneAdmin(user, 'demoted');
      await users.update(user.id, changes);
      await record(request, 'user.update', user, changes);
      return summary((await users.findById(user.id))!);
    });
  });

  contractRoute(app, api.setUserRoles, admin, async (request) => {
    const { roles } = request.body;
    checkWorkspaces(roles);
    const user = await target(request);
    await users.setRoles(user.id, roles);
    await record(request, 'user.roles', user, { roles });
    return summary(user);
  });

  contractRoute(app, api.resetUserPassword, admin, async (request) => {
    const body = request.body;
    const user = await target(request);
    const password = body.password ?? generatedPassword();
    await users.setPassword(user.id, await hashPassword(password));
    await record(request, 'user.password-reset', user, { generated: !body.password });
    return {
      sessionsEnded: true as const,
      ...(body.password ? {} : { generatedPassword: password }),
    };
  });

  contractRoute(app, api.deactivateUser, admin, (request) =>
    oneAtATime(async () => {
      const user = await target(request);
      await keepOneAdmin(user, 'deactivated');
      notSelf(request, user, 'deactivate');
      if (!user.deactivatedAt) {
        await users.setDeactivated(user.id, true);
        await record(request, 'user.deactivate', user);
      }
      return summary((await users.findById(user.id))!);
    }),
  );

  contractRoute(app, api.reactivateUser, admin, async (request) => {
    const user = await target(request);
    if (user.deactivatedAt) {
      await users.setDeactivated(user.id, false);
      await record(request, 'user.reactivate', user);
    }
    return summary((await users.findById(user.id))!);
  });

  contractRoute(app, api.deleteUser, admin, (request) =>
    oneAtATime(async () => {
      const user = await target(request);
      await keepOneAdmin(user, 'deleted');
      notSelf(request, user, 'delete');
      await users.delete(user.id);
      await record(request, 'user.delete', user, { isInstanceAdmin: user.isInstanceAdmin });
      return { deleted: user.username };
    }),
  );
}
