import { Capability } from '../../shared/capabilities.ts';
import type { Database } from '../db/database.ts';
import type { ApprovalLookup } from './evaluate.ts';

/** Capabilities an admin approved, per plugin version: a new version asks again. */
export function createApprovalStore(db: Database) {
  return {
    /** A snapshot for evaluation: which capabilities are approved for a plugin at a version. */
    async load(): Promise<ApprovalLookup> {
      const rows = await db.all<{ name: string; version: string; capabilities: string }>(
        'SELECT name, version, capabilities FROM plugin_approvals',
      );
      const approved = new Map(
        rows.map((r) => [`${r.name}@${r.version}`, Capability.array().catch([]).parse(JSON.parse(r.capabilities))]),
      );
      return (name, version) => approved.get(`${name}@${version}`) ?? [];
    },

    async approve(name: string, version: string, capabilities: readonly Capability[], userId: string): Promise<void> {
      await db.transaction(async (tx) => {
        await tx.run('DELETE FROM plugin_approvals WHERE name = ? AND version = ?', [name, version]);
        await tx.run(
          'INSERT INTO plugin_approvals (name, version, capabilities, approved_by, approved_at) VALUES (?, ?, ?, ?, ?)',
          [name, version, JSON.stringify([...capabilities].sort()), userId, new Date().toISOString()],
        );
      });
    },
  };
}

export type ApprovalStore = ReturnType<typeof createApprovalStore>;
