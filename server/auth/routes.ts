import fastifyRateLimit from '@fastify/rate-limit';
import type { FastifyInstance } from 'fastify';
import type { Me } from '../../shared/api.schema.ts';
import * as api from '../../shared/http/auth.ts';
import { contractRoute } from '../http/contract-route.ts';
import { HttpError } from '../http/errors.ts';
import type { Workspace } from '../workspaces/config.ts';
import { currentUser, type Guards } from './guards.ts';
import { verifyPassword } from './passwords.ts';
import { SESSION_COOKIE, type SessionStore } from './sessions.ts';
import type { SignInThrottle } from './sign-in-throttle.ts';
import type { User, UsersRepository } from './users-repository.ts';

export interface AuthRouteDeps {
  users: UsersRepository;
  sessions: SessionStore;
  guards: Guards;
  workspaces: readonly Workspace[];
  secureCookies: boolean;
  /** Failed sign-ins per username and per address, with growing waits. */
  throttle: SignInThrottle;
  /** Sign-in attempts one client address may make per minute, whatever their outcome (each costs a scrypt hash). */
  attemptsPerMinute: number;
}

const retryAfterSeconds = (ms: number) => Math.max(1, Math.ceil(ms / 1000));
/** A wait in words: seconds under two minutes, minutes above. */
const inWords = (seconds: number) => (seconds < 120 ? `${seconds} s` : `${Math.ceil(seconds / 60)} min`);

/** What the shell needs about the signed-in user: who, and their workspaces with their role (an instance admin: all, as admin). */
export async function describeMe(user: User, users: UsersRepository, workspaces: readonly Workspace[]): Promise<Me> {
  const roles = user.isInstanceAdmin ? {} : await users.roles(user.id);
  return {
    user: {
      id: user.id,
      username: user.username,
      displayName: user.displayName,
      isInstanceAdmin: user.isInstanceAdmin,
    },
    workspaces: workspaces.flatMap((w) => {
      const role = user.isInstanceAdmin ? 'admin' : roles[w.name];
      return role ? [{ name: w.name, title: w.title, role }] : [];
    }),
  };
}

export async function registerAuthRoutes(app: FastifyInstance, deps: AuthRouteDeps): Promise<void> {
  const { users, sessions, guards, workspaces, throttle } = deps;
  await app.register(fastifyRateLimit, { global: false });

  const signInLimit = {
    max: deps.attemptsPerMinute,
    timeWindow: 60_000,
    errorResponseBuilder: (_request: unknown, context: { after: string }) =>
      new HttpError(
        'sign_in_throttled',
        `Too many sign-in attempts from this address (at most ${deps.attemptsPerMinute} a minute); retry in ${context.after}`,
      ),
  };

  contractRoute(app, api.signIn, { config: { rateLimit: signInLimit } }, async (request, reply) => {
    const { username, password } = request.body;
    // During a lock the password is not even checked, so the answer is the same whether it was right or wrong.
    if (throttle.waitFor(username, request.ip) > 0) {
      const seconds = retryAfterSeconds(throttle.failed(username, request.ip));
      request.log.warn({ username, address: request.ip, waitSeconds: seconds }, 'sign-in refused: too many failures');
      reply.header('retry-after', String(seconds));
      throw new HttpError('sign_in_throttled', `Too many failed sign-ins; retry in ${inWords(seconds)}`, {
        retryAfterSeconds: seconds,
      });
    }
    const found = await users.findCredentials(username);
    // Verify against a hash even for unknown users, so timing does not tell which usernames exist.
    const ok = await verifyPassword(
      password,
      found?.passwordHash ?? 'scrypt$32768$8$1$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA',
    );
    if (!found || !ok) {
      throttle.failed(username, request.ip);
      request.log.warn({ username, address: request.ip }, 'failed sign-in');
      throw new HttpError('invalid_credentials', 'Wrong username or password');
    }
    throttle.succeeded(username);
    // Said only after the right password, so it does not tell a guesser which accounts exist.
    if (found.user.deactivatedAt)
      throw new HttpError('user_deactivated', 'This account is deactivated; ask an admin to reactivate it');
    // A fresh session every time: a session id planted in the browser before sign-in never becomes signed in.
    const previous = request.cookies[SESSION_COOKIE];
    if (previous) await sessions.destroy(previous);
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

  contractRoute(app, api.signOut, {}, async (request, reply) => {
    const token = request.cookies[SESSION_COOKIE];
    if (token) await sessions.destroy(token);
    reply.clearCookie(SESSION_COOKIE, { path: '/' });
    return { ok: true as const };
  });

  contractRoute(app, api.getMe, { guards: [guards.requireUser] }, async (request) =>
    describeMe(currentUser(request), users, workspaces),
  );
}
