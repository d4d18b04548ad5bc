import { randomUUID } from 'node:crypto';
import type { Database } from '../db/database.ts';
import type { User } from '../auth/users-repository.ts';

export interface AuditEntry {
  id: string;
  at: string;
  actorId: string | null;
  actorName: string | null;
  action: string;
  target: string | null;
  workspace: string | null;
  details: unknown;
}

export interface AuditRecord {
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

    async list(limit = 200): Promise<AuditEntry[]> {
      const rows = await db.all<{
        id: string;
        at: string;
        actor_id: string | null;
        actor_name: string | null;
        action: string;
        target: string | null;
        workspace: string | null;
        details: string | null;
      }>('SELECT * FROM audit_log ORDER BY at DESC LIMIT ?', [limit]);
      return rows.map((r) => ({
        id: r.id,
        at: r.at,
        actorId: r.actor_id,
        actorName: r.actor_name,
        action: r.action,
        target: r.target,
        workspace: r.workspace,
        details: r.details === null ? null : JSON.parse(r.details),
      }));
    },
  };
}

export type AuditLog = ReturnType<typeof createAuditLog>;
