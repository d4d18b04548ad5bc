import { randomUUID } from 'node:crypto';
import type { Database } from '../db/database.ts';
import type { User } from '../auth/users-repository.ts';

export interface AuditRecord {
  /** Who acted; `null` for the server itself (an automatic disable), shown as "system". */
  actor: User | null;
  /** A dotted verb such as `user.create` or `plugin.approve`. */
  action: string;
  target?: string;
  workspace?: string;
  details?: unknown;
}

/** The append-only record of every admin action. */
export function createAuditLog(db: Database) {
  return {
    async record(entry: AuditRecord): Promise<void> {
      await db.run(
        'INSERT INTO audit_log (id, at, actor_id, actor_name, action, target, workspace, details) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
        [
          randomUUID(),
          new Date().toISOString(),
          entry.actor?.id ?? null,
          entry.actor?.username ?? null,
          entry.action,
          entry.target ?? null,
          entry.workspace ?? null,
          entry.details === undefined ? null : JSON.stringify(entry.details),
        ],
      );
    },
  };
}

export type AuditLog = ReturnType<typeof createAuditLog>;
