import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { Me } from '../../shared/api.schema.ts';
import { parseBody } from '../http/body.ts';
import { HttpError } from '../http/errors.ts';
import type { Workspace } from '../workspaces/config.ts';
import { currentUser, type Guards } from './guards.ts';
import { verifyPassword } from './passwords.ts';
import { SESSION_COOKIE, type SessionStore } from './sessions.ts';
import type { User, UsersRepository } from './users-repository.ts';

const Credentials = z.object({
  username: z.string().min(1, 'must not be empty'),
  password: z.string().min(1, 'must not be empty'),
});

export interface AuthRouteDeps {
  users: UsersRepository;
  sessions: SessionStore;
  guards: Guards;
  workspaces: readonly Workspace[];
  secureCookies: boolean;
}

/** What the shell needs about the signed-in user: who, and which workspaces with which role. */
export async function describeMe(user: User, users: UsersRepository, workspaces: readonly Workspace[]): Promise<Me> {
  const roles = await users.roles(user.id);
  return {
    user: {
      id: user.id,
      username: user.username,
      displayName: user.displayName,
      isInstanceAdmin: user.isInstanceAdmin,
    },
    workspaces: workspaces.flatMap((w) => {
      const role = roles[w.name];
      return role ? [{ name: w.name, title: w.title, role }] : [];
    }),
  };
}

export function registerAuthRoutes(app: FastifyInstance, deps: AuthRouteDeps): void {
  const { users, sessions, guards, workspaces } = deps;

  app.post('/api/auth/login', async (request, reply) => {
    const { username, password } = parseBody(Credentials, request.body);
    const found = await users.findCredentials(username);
    // Verify against a hash even for unknown users, so timing does not tell which usernames exist.
    const ok = await verifyPassword(
      password,
      found?.passwordHash ?? 'scrypt$32768$8$1$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA',
    );
    if (!found || !ok) {
      request.log.warn({ username }, 'failed sign-in');
      throw new HttpError('invalid_credentials', 'Wrong username or password');
    }
    const session = await sessions.create(found.user.id);
    reply.setCookie(SESSION_COOKIE, session.token, {
      path: '/',
      httpOnly: true,
      sameSite: 'lax',
      secure: deps.secureCookies,
      expires: session.expiresAt,
    });
    request.log.info({ username }, 'signed in');
    return describeMe(found.user, users, workspaces);
  });

  app.post('/api/auth/logout', async (request, reply) => {
    const token = request.cookies[SESSION_COOKIE];
    if (token) await sessions.destroy(token);
    reply.clearCookie(SESSION_COOKIE, { path: '/' });
    return { ok: true };
  });

  app.get('/api/auth/me', { preHandler: guards.requireUser }, async (request) =>
    describeMe(currentUser(request), users, workspaces),
  );
}
