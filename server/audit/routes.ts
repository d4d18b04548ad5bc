import type { FastifyInstance } from 'fastify';
import { listAudit } from '../../shared/http/audit.ts';
import type { Guards } from '../auth/guards.ts';
import type { Database, SqlValue } from '../db/database.ts';
import { contractRoute } from '../http/contract-route.ts';

interface AuditRow {
  id: string;
  at: string;
  actor_name: string | null;
  action: string;
  target: string | null;
  workspace: string | null;
  details: string | null;
}

/** `GET /api/audit?action=&target=&before=&limit=`: every admin action, newest first, filtered and paged. */
export function registerAuditRoutes(app: FastifyInstance, deps: { db: Database; guards: Guards }): void {
  const { db, guards } = deps;
  contractRoute(app, listAudit, { guards: [guards.requireUser, guards.requireInstanceAdmin] }, async (request) => {
    const query = request.query;
    const where: string[] = [];
    const params: SqlValue[] = [];
    if (query.action) {
      where.push('action = ?');
      params.push(query.action);
    }
    if (query.target) {
      where.push('target = ?');
      params.push(query.target);
    }
    if (query.before) {
      where.push('at < ?');
      params.push(query.before);
    }
    // Asked at once: on PostgreSQL each goes to a pooled connection of its own.
    const [rows, actions, targets] = await Promise.all([
      db.all<AuditRow>(
        `SELECT id, at, actor_name, action, target, workspace, details FROM audit_log${where.length > 0 ? ` WHERE ${where.join(' AND ')}` : ''} ORDER BY at DESC, id DESC LIMIT ?`,
        [...params, query.limit + 1],
      ),
      db.all<{ action: string }>('SELECT DISTINCT action FROM audit_log ORDER BY action'),
      db.all<{ target: string }>('SELECT DISTINCT target FROM audit_log WHERE target IS NOT NULL ORDER BY target'),
    ]);
    return {
      entries: rows.slice(0, query.limit).map((r) => ({
        id: r.id,
        at: r.at,
        actorName: r.actor_name,
        action: r.action,
        target: r.target,
        workspace: r.workspace,
        details: r.details === null ? null : (JSON.parse(r.details) as unknown),
      })),
      hasMore: rows.length > query.limit,
      actions: actions.map((a) => a.action),
      targets: targets.map((t) => t.target),
    };
  });
}
