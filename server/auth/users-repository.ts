import { randomUUID } from 'node:crypto';
import type { WorkspaceRole } from '@dbt-workbench/plugin-sdk/contracts/roles';
import type { Database } from '../db/database.ts';

export interface User {
  id: string;
  username: string;
  displayName: string;
  isInstanceAdmin: boolean;
  createdAt: string;
  /** When an admin deactivated the user: they cannot sign in, and their sessions ended then. */
  deactivatedAt: string | null;
}

export interface UserRow {
  id: string;
  username: string;
  display_name: string;
  password_hash: string;
  is_instance_admin: number;
  created_at: string;
  deactivated_at: string | null;
}

export const toUser = (row: UserRow): User => ({
  id: row.id,
  username: row.username,
  displayName: row.display_name,
  isInstanceAdmin: row.is_instance_admin === 1,
  createdAt: row.created_at,
  deactivatedAt: row.deactivated_at,
});

export interface NewUser {
  username: string;
  displayName: string;
  passwordHash: string;
  isInstanceAdmin: boolean;
  roles: Record<string, WorkspaceRole>;
}

/** Users and their workspace roles. */
export function createUsersRepository(db: Database) {
  return {
    async count(): Promise<number> {
      return (await db.get<{ n: number }>('SELECT COUNT(*) AS n FROM users'))?.n ?? 0;
    },

    async create(user: NewUser): Promise<User> {
      const id = randomUUID();
      const createdAt = new Date().toISOString();
      await db.transaction(async (tx) => {
        await tx.run(
          'INSERT INTO users (id, username, display_name, password_hash, is_instance_admin, created_at) VALUES (?, ?, ?, ?, ?, ?)',
          [id, user.username, user.displayName, user.passwordHash, user.isInstanceAdmin ? 1 : 0, createdAt],
        );
        for (const [workspace, role] of Object.entries(user.roles)) {
          await tx.run('INSERT INTO workspace_members (workspace, user_id, role) VALUES (?, ?, ?)', [
            workspace,
            id,
            role,
          ]);
        }
      });
      return {
        id,
        username: user.username,
        displayName: user.displayName,
        isInstanceAdmin: user.isInstanceAdmin,
        createdAt,
        deactivatedAt: null,
      };
    },

    /** The user and password hash for a sign-in attempt. */
    async findCredentials(username: string): Promise<{ user: User; passwordHash: string } | undefined> {
      const row = await db.get<UserRow>('SELECT * FROM users WHERE username = ?', [username]);
      return row && { user: toUser(row), passwordHash: row.password_hash };
    },

    async findById(id: string): Promise<User | undefined> {
      const row = await db.get<UserRow>('SELECT * FROM users WHERE id = ?', [id]);
      return row && toUser(row);
    },

    async list(): Promise<User[]> {
      return (await db.all<UserRow>('SELECT * FROM users ORDER BY username')).map(toUser);
    },

    /** Workspace name to role, for the workspaces the user belongs to. */
    async roles(userId: string): Promise<Record<string, WorkspaceRole>> {
      const rows = await db.all<{ workspace: string; role: WorkspaceRole }>(
        'SELECT workspace, role FROM workspace_members WHERE user_id = ? ORDER BY workspace',
        [userId],
      );
      return Object.fromEntries(rows.map((r) => [r.workspace, r.role]));
    },

    /** Every user's workspace roles, by user id, in one statement (users without any are absent). */
    async rolesByUser(): Promise<Map<string, Record<string, WorkspaceRole>>> {
      const rows = await db.all<{ user_id: string; workspace: string; role: WorkspaceRole }>(
        'SELECT user_id, workspace, role FROM workspace_members ORDER BY user_id, workspace',
      );
      const byUser = new Map<string, Record<string, WorkspaceRole>>();
      for (const row of rows) byUser.set(row.user_id, { ...byUser.get(row.user_id), [row.workspace]: row.role });
      return byUser;
    },

    async role(userId: string, workspace: string): Promise<WorkspaceRole | undefined> {
      const row = await db.get<{ role: WorkspaceRole }>(
        'SELECT role FROM workspace_members WHERE user_id = ? AND workspace = ?',
        [userId, workspace],
      );
      return row?.role;
    },

    /** The user's role in an existing workspace: an instance admin is admin of every one. */
    async roleIn(user: User, workspace: string): Promise<WorkspaceRole | undefined> {
      return user.isInstanceAdmin ? 'admin' : this.role(user.id, workspace);
    },

    /** Instance admins who are not deactivated: the last one may not be deleted, deactivated or demoted. */
    async activeInstanceAdmins(): Promise<number> {
      const row = await db.get<{ n: number }>(
        'SELECT COUNT(*) AS n FROM users WHERE is_instance_admin = 1 AND deactivated_at IS NULL',
      );
      return row?.n ?? 0;
    },

    async update(userId: string, changes: { displayName?: string; isInstanceAdmin?: boolean }): Promise<void> {
      if (changes.displayName !== undefined)
        await db.run('UPDATE users SET display_name = ? WHERE id = ?', [changes.displayName, userId]);
      if (changes.isInstanceAdmin !== undefined)
        await db.run('UPDATE users SET is_instance_admin = ? WHERE id = ?', [changes.isInstanceAdmin ? 1 : 0, userId]);
    },

    /** Sets a new password hash and ends every session of the user. */
    async setPassword(userId: string, passwordHash: string): Promise<void> {
      await db.transaction(async (tx) => {
        await tx.run('UPDATE users SET password_hash = ? WHERE id = ?', [passwordHash, userId]);
        await tx.run('DELETE FROM sessions WHERE user_id = ?', [userId]);
      });
    },

    /** Deactivates (ending every session) or reactivates a user. */
    async setDeactivated(userId: string, deactivated: boolean): Promise<void> {
      await db.transaction(async (tx) => {
        await tx.run('UPDATE users SET deactivated_at = ? WHERE id = ?', [
          deactivated ? new Date().toISOString() : null,
          userId,
        ]);
        if (deactivated) await tx.run('DELETE FROM sessions WHERE user_id = ?', [userId]);
      });
    },

    /** Deletes the user; their sessions, memberships and saved queries go with them (migration 1's cascades). */
    async delete(userId: string): Promise<void> {
      await db.run('DELETE FROM users WHERE id = ?', [userId]);
    },

    /** Replaces all of a user's workspace roles at once. */
    async setRoles(userId: string, roles: Record<string, WorkspaceRole>): Promise<void> {
      await db.transaction(async (tx) => {
        await tx.run('DELETE FROM workspace_members WHERE user_id = ?', [userId]);
        for (const [workspace, role] of Object.entries(roles)) {
          await tx.run('INSERT INTO workspace_members (workspace, user_id, role) VALUES (?, ?, ?)', [
            workspace,
            userId,
            role,
          ]);
        }
      });
    },
  };
}

export type UsersRepository = ReturnType<typeof createUsersRepository>;
