import { randomUUID } from 'node:crypto';
import type { Capability } from '@dbt-workbench/plugin-sdk/contracts/capabilities';
import type { Database } from '../../db/database.ts';

/**
 * A database change an operation makes once its folders are in place. Effects are data, written to the journal
 * before any folder moves, so recovery after a crash can apply exactly the same change.
 */
export type Effect =
  | {
      type: 'installation';
      name: string;
      version: string;
      source: string;
      checksum: string | null;
      previousVersion: string | null;
      installedAt: string;
      at: string;
      /** The package store's digest of this version (package-store/store.ts); null when the store lacks it. */
      digest?: string | null;
    }
  /** `grants`: the access keys approved for the version (shared/access-request.ts). */
  | { type: 'approval'; name: string; version: string; grants: string[]; userId: string | null; at: string }
  | {
      type: 'pending';
      name: string;
      version: string;
      source: string;
      checksum: string | null;
      capabilities: Capability[];
      userId: string | null;
      at: string;
      digest?: string | null;
    }
  | { type: 'clear-pending'; name: string }
  /** Remove: approvals, enablement rules, configuration, installation record, pending update, pin. Audit stays. */
  | { type: 'forget'; name: string }
  | {
      type: 'audit';
      actorId: string | null;
      actorName: string | null;
      action: string;
      target: string;
      details: unknown;
      at: string;
    };

/** Remembers which stored package a version of a plugin ran as, for rollback on any replica. */
async function recordVersion(
  tx: Database,
  effect: { name: string; version: string; digest?: string | null; at: string },
): Promise<void> {
  if (!effect.digest) return;
  await tx.run('DELETE FROM plugin_package_versions WHERE name = ? AND version = ?', [effect.name, effect.version]);
  await tx.run('INSERT INTO plugin_package_versions (name, version, digest, recorded_at) VALUES (?, ?, ?, ?)', [
    effect.name,
    effect.version,
    effect.digest,
    effect.at,
  ]);
}

/** Applies effects in order inside the caller's transaction. */
export async function applyEffects(tx: Database, effects: readonly Effect[]): Promise<void> {
  for (const effect of effects) {
    switch (effect.type) {
      case 'installation':
        await tx.run('DELETE FROM plugin_installations WHERE name = ?', [effect.name]);
        await tx.run(
          'INSERT INTO plugin_installations (name, version, source, checksum, previous_version, installed_at, updated_at, digest) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
          [
            effect.name,
            effect.version,
            effect.source,
            effect.checksum,
            effect.previousVersion,
            effect.installedAt,
            effect.at,
            effect.digest ?? null,
          ],
        );
        await recordVersion(tx, effect);
        break;
      case 'approval': {
        // A journal written before migration 8 names them `capabilities`; capability names are keys too.
        const grants = effect.grants ?? (effect as { capabilities?: string[] }).capabilities ?? [];
        await tx.run('DELETE FROM plugin_approvals WHERE name = ? AND version = ?', [effect.name, effect.version]);
        await tx.run(
          'INSERT INTO plugin_approvals (name, version, grants, approved_by, approved_at) VALUES (?, ?, ?, ?, ?)',
          [effect.name, effect.version, JSON.stringify([...grants].sort()), effect.userId, effect.at],
        );
        break;
      }
      case 'pending':
        await tx.run('DELETE FROM plugin_pending_updates WHERE name = ?', [effect.name]);
        await tx.run(
          'INSERT INTO plugin_pending_updates (name, version, source, checksum, capabilities, staged_by, staged_at, digest) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
          [
            effect.name,
            effect.version,
            effect.source,
            effect.checksum,
            JSON.stringify(effect.capabilities),
            effect.userId,
            effect.at,
            effect.digest ?? null,
          ],
        );
        break;
      case 'clear-pending':
        await tx.run('DELETE FROM plugin_pending_updates WHERE name = ?', [effect.name]);
        break;
      case 'forget':
        // Its packages go too (a digest is its plugin's alone: the manifest inside names it).
        await tx.run(
          `DELETE FROM plugin_packages WHERE digest IN (SELECT digest FROM plugin_package_versions WHERE name = ?
            UNION SELECT digest FROM plugin_pending_updates WHERE name = ?)`,
          [effect.name, effect.name],
        );
        await tx.run('DELETE FROM plugin_package_versions WHERE name = ?', [effect.name]);
        for (const table of [
          'plugin_approvals',
          'plugin_enablement',
          'plugin_config',
          'plugin_installations',
          'plugin_pending_updates',
          'plugin_pins',
          'plugin_rejections',
        ]) {
          await tx.run(`DELETE FROM ${table} WHERE name = ?`, [effect.name]);
        }
        // Installed again under its name, a plugin starts isolated: trust was given to the removed one.
        await tx.run('DELETE FROM plugin_ui_trust WHERE plugin = ?', [effect.name]);
        await tx.run('DELETE FROM plugin_workspace_config WHERE plugin = ?', [effect.name]);
        break;
      case 'audit':
        await tx.run(
          'INSERT INTO audit_log (id, at, actor_id, actor_name, action, target, workspace, details) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
          [
            randomUUID(),
            effect.at,
            effect.actorId,
            effect.actorName,
            effect.action,
            effect.target,
            null,
            JSON.stringify(effect.details ?? null),
          ],
        );
        break;
    }
  }
}
