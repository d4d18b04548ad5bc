import { randomBytes } from 'node:crypto';
import type { Logger } from 'pino';
import type { Workspace } from '../workspaces/config.ts';
import { hashPassword } from './passwords.ts';
import type { UsersRepository } from './users-repository.ts';

export interface BootstrapOptions {
  username: string;
  /** From WORKBENCH_ADMIN_PASSWORD; generated and printed once when absent. */
  password: string | undefined;
  print: (text: string) => void;
}

/**
 * On the very first start (no users at all) creates the instance admin, an admin of every configured
 * workspace. A generated password is printed once, never logged or stored in clear.
 */
export async function ensureFirstAdmin(
  users: UsersRepository,
  workspaces: readonly Workspace[],
  options: BootstrapOptions,
  logger: Logger,
): Promise<void> {
  if ((await users.count()) > 0) return;
  const password = options.password ?? randomBytes(12).toString('base64url');
  try {
    await users.create({
      username: options.username,
      displayName: 'Administrator',
      passwordHash: await hashPassword(password),
      isInstanceAdmin: true,
      roles: Object.fromEntries(workspaces.map((w) => [w.name, 'admin' as const])),
    });
  } catch (error) {
    // Another server starting on the same database at the same moment created the first admin: that one stands.
    if ((await users.count()) > 0) return;
    throw error;
  }
  logger.info({ username: options.username }, 'created the first instance admin');
  if (!options.password) {
    options.print(
      [
        '',
        '  dbt-Workbench created the first admin. Sign in with:',
        `    username: ${options.username}`,
        `    password: ${password}`,
        '  This password is shown only now. Set WORKBENCH_ADMIN_PASSWORD to choose it yourself.',
        '',
      ].join('\n'),
    );
  }
}
