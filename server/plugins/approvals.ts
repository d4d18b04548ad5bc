import { z } from 'zod';
import { accessKey, accessRequestOf, type AccessDefaults } from '@dbt-workbench/plugin-sdk/contracts/access-request';
import type { PluginManifest } from '@dbt-workbench/plugin-sdk/contracts/plugin-manifest.schema';
import type { Database } from '../db/database.ts';
import type { ApprovalLookup } from './evaluate.ts';

const Grants = z.array(z.string()).catch([]);

/** The keys approving a version records: its whole access request (shared/access-request.ts). Pure. */
export function approvalKeysOf(manifest: PluginManifest, defaults: AccessDefaults): string[] {
  return accessRequestOf(manifest, defaults).map(accessKey);
}

/** What an admin approved, per plugin version, as access keys: a new version asks again. */
export function createApprovalStore(db: Database) {
  return {
    /** A snapshot for evaluation: which access keys are approved for a plugin at a version. */
    async load(): Promise<ApprovalLookup> {
      const rows = await db.all<{ name: string; version: string; grants: string }>(
        'SELECT name, version, grants FROM plugin_approvals',
      );
      const approved = new Map(rows.map((r) => [`${r.name}@${r.version}`, Grants.parse(JSON.parse(r.grants))]));
      return (name, version) => approved.get(`${name}@${version}`) ?? [];
    },

    /** Records `keys` as the whole approval of `name@version`, replacing any earlier one. */
    async approve(name: string, version: string, keys: readonly string[], userId: string): Promise<void> {
      await db.transaction(async (tx) => {
        await tx.run('DELETE FROM plugin_approvals WHERE name = ? AND version = ?', [name, version]);
        await tx.run(
          'INSERT INTO plugin_approvals (name, version, grants, approved_by, approved_at) VALUES (?, ?, ?, ?, ?)',
          [name, version, JSON.stringify([...keys].sort()), userId, new Date().toISOString()],
        );
      });
    },
  };
}

export type ApprovalStore = ReturnType<typeof createApprovalStore>;
