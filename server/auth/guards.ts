import type { FastifyInstance, FastifyRequest, preHandlerAsyncHookHandler } from 'fastify';
import { roleAllows, type WorkspaceRole } from '@dbt-workbench/plugin-sdk/contracts/roles';
import { HttpError } from '../http/errors.ts';
import type { Workspace } from '../workspaces/config.ts';
import { SESSION_COOKIE, type SessionStore } from './sessions.ts';
import type { User, UsersRepository } from './users-repository.ts';

/** What a request may do in the workspace named by its `:workspace` parameter. */
export interface WorkspaceAccess {
  workspace: Workspace;
  role: WorkspaceRole;
}

declare module 'fastify' {
  interface FastifyRequest {
    /** The signed-in user, or null. Set for every request from its session cookie. */
    user: User | null;
    workspaceAccess: WorkspaceAccess | null;
  }
}

/** Resolves the session cookie of every request into `request.user`. */
export function registerSessionResolution(app: FastifyInstance, sessions: SessionStore): void {
  app.decorateRequest('user', null);
  app.decorateRequest('workspaceAccess', null);
  app.addHook('onRequest', async (request) => {
    const token = request.cookies[SESSION_COOKIE];
    if (!token) return;
    const user = await sessions.user(token);
    // Deactivating ends a user's sessions; this check holds even for one made in the same instant.
    request.user = user && !user.deactivatedAt ? user : null;
  });
}

/** The signed-in user of a request that passed `requireUser`. */
export function currentUser(request: FastifyRequest): User {
  if (!request.user) throw new HttpError('unauthorized', 'Sign in first');
  return request.user;
}

/** The workspace access of a request that passed `requireWorkspaceRole`. */
export function currentWorkspace(request: FastifyRequest): WorkspaceAccess {
  if (!request.workspaceAccess) throw new Error('route lacks a requireWorkspaceRole guard');
  return request.workspaceAccess;
}

export interface Guards {
  requireUser: preHandlerAsyncHookHandler;
  requireInstanceAdmin: preHandlerAsyncHookHandler;
  /** 401 without a session, 404 for a workspace the user does not belong to, 403 below `min`. */
  requireWorkspaceRole(min: WorkspaceRole): preHandlerAsyncHookHandler;
}

export function createGuards(users: UsersRepository, workspaces: readonly Workspace[]): Guards {
  const requireUser: preHandlerAsyncHookHandler = async (request) => {
    currentUser(request);
  };
  return {
    requireUser,
    requireInstanceAdmin: async (request) => {
      if (!currentUser(request).isInstanceAdmin) throw new HttpError('forbidden', 'Only instance admins may do this');
    },
    requireWorkspaceRole: (min) => async (request) => {
      const user = currentUser(request);
      const name = (request.params as { workspace?: string }).workspace ?? '';
      const workspace = workspaces.find((w) => w.name === name);
      const role = workspace && (await users.roleIn(user, workspace.name));
      // Unknown and not-a-member look the same, so workspace names do not leak.
      if (!workspace || !role) throw new HttpError('workspace_not_found', `No workspace named "${name}"`);
      if (!roleAllows(role, min))
        throw new HttpError('forbidden', `This needs the ${min} role in ${workspace.name}; you are ${role}`);
      request.workspaceAccess = { workspace, role };
    },
  };
}
