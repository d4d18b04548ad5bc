import { z } from 'zod';
import { accessKey, accessRequestOf, type AccessDefaults } from '@dbt-workbench/plugin-sdk/contracts/access-request';
import type { PluginManifest } from '@dbt-workbench/plugin-sdk/contracts/plugin-manifest.schema';
import type { Rejection } from '../../shared/api.schema.ts';
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

    /** Records `keys` as the whole approval of `name@version`, replacing any earlier one (and any rejection). */
    async approve(name: string, version: string, keys: readonly string[], userId: string): Promise<void> {
      await db.transaction(async (tx) => {
        await tx.run('DELETE FROM plugin_rejections WHERE name = ?', [name]);
        await tx.run('DELETE FROM plugin_approvals WHERE name = ? AND version = ?', [name, version]);
        await tx.run(
          'INSERT INTO plugin_approvals (name, version, grants, approved_by, approved_at) VALUES (?, ?, ?, ?, ?)',
          [name, version, JSON.stringify([...keys].sort()), userId, new Date().toISOString()],
        );
      });
    },
  };
}

/** An admin's "no" to the version of a plugin that waits for approval; it holds for that version only. */
export interface VersionRejection extends Rejection {
  version: string;
}

/** Who rejected a plugin at a version, if that very version was rejected: a snapshot the registry reads at a refresh. */
export type RejectionLookup = (name: string, version: string) => Rejection | undefined;

/**
 * Rejections of waiting versions: a newer build (the version in force keeps running) or a first version (it never
 * runs); the card stops asking for that version.
 */
export function createRejectionStore(db: Database) {
  return {
    /** A snapshot for evaluation: the rejection of each plugin at the version rejected. */
    async load(): Promise<RejectionLookup> {
      const rows = await db.all<{ name: string; version: string; rejected_by_name: string; rejected_at: string }>(
        'SELECT name, version, rejected_by_name, rejected_at FROM plugin_rejections',
      );
      const rejected = new Map(
        rows.map((r) => [`${r.name}@${r.version}`, { by: r.rejected_by_name, at: r.rejected_at }]),
      );
      return (name, version) => rejected.get(`${name}@${version}`);
    },

    /** Remembers that `user` rejected `name@version`, replacing a rejection of an older version. */
    async reject(name: string, version: string, user: { id: string; username: string }): Promise<void> {
      await db.run(
        `INSERT INTO plugin_rejections (name, version, rejected_by, rejected_by_name, rejected_at) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (name) DO UPDATE SET version = excluded.version, rejected_by = excluded.rejected_by,
           rejected_by_name = excluded.rejected_by_name, rejected_at = excluded.rejected_at`,
        [name, version, user.id, user.username, new Date().toISOString()],
      );
    },

    /** The rejection of `name@version`, if that very version was rejected. */
    async of(name: string, version: string): Promise<VersionRejection | undefined> {
      const row = await db.get<{ version: string; rejected_by_name: string; rejected_at: string }>(
        'SELECT version, rejected_by_name, rejected_at FROM plugin_rejections WHERE name = ? AND version = ?',
        [name, version],
      );
      return row && { version: row.version, by: row.rejected_by_name, at: row.rejected_at };
    },
  };
}

export type ApprovalStore = ReturnType<typeof createApprovalStore>;
