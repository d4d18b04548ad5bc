import type { Logger } from 'pino';
import { Capability } from '@dbt-workbench/plugin-sdk/contracts/capabilities';
import type { Installation, PendingUpdate, UpdateDiff } from '../../../shared/installation.schema.ts';
import type { Database } from '../../db/database.ts';
import type { PluginRegistry, RegisteredPlugin } from '../registry.ts';
import type { InspectedPackage } from './inspect.ts';
import type { PackageLayout } from './layout.ts';
import { exists } from './moves.ts';
import { packageProblems } from '../package-store/locks.ts';

/** A row of `plugin_installations`: how a plugin was installed. */
export interface InstallationRow {
  name: string;
  version: string;
  source: string;
  checksum: string | null;
  previous_version: string | null;
  installed_at: string;
  updated_at: string;
  /** The running version's digest in the package store; null for one installed before it existed. */
  digest: string | null;
}

export interface PendingRow {
  name: string;
  version: string;
  source: string;
  checksum: string | null;
  capabilities: string;
  staged_at: string;
  /** The staged package's digest in the package store; null for one staged before it existed. */
  digest: string | null;
}

export function installationRowOf(db: Database, name: string): Promise<InstallationRow | undefined> {
  return db.get<InstallationRow>('SELECT * FROM plugin_installations WHERE name = ?', [name]);
}

/** When each plugin installed through the installer was first installed (updates keep that time). */
export async function installTimes(db: Database): Promise<Map<string, string>> {
  const rows = await db.all<Pick<InstallationRow, 'name' | 'installed_at'>>(
    'SELECT name, installed_at FROM plugin_installations',
  );
  return new Map(rows.map((r) => [r.name, r.installed_at]));
}

export function pendingRowOf(db: Database, name: string): Promise<PendingRow | undefined> {
  return db.get<PendingRow>('SELECT * FROM plugin_pending_updates WHERE name = ?', [name]);
}

export interface InstallationsContext {
  db: Database;
  registry: PluginRegistry;
  layout: PackageLayout;
  inspect(root: string): Promise<InspectedPackage>;
  diff(plugin: RegisteredPlugin | undefined, inspected: InspectedPackage): UpdateDiff;
  /** A newer build waiting in the plugin's own folder, as a pending update (approvals-waiting.ts). */
  waitingInFolder(plugin: RegisteredPlugin | undefined): Promise<PendingUpdate | undefined>;
  logger: Logger;
}

/**
 * How each plugin was installed: every discovered plugin (those placed by hand have the source `folder`) and every
 * recorded installation, with the pending update (staged, or a newer build in its folder) and its diff against the
 * running version.
 */
export async function listInstallations(context: InstallationsContext): Promise<Installation[]> {
  const { db, registry, layout } = context;
  const rows = await db.all<InstallationRow>('SELECT * FROM plugin_installations');
  const pending = await db.all<PendingRow>('SELECT * FROM plugin_pending_updates');
  const names = [...new Set([...registry.list().map((p) => p.name), ...rows.map((r) => r.name)])].sort();
  const problems = packageProblems(layout.root);
  return Promise.all(
    names.map(async (name) => {
      const plugin = registry.get(name);
      const row = rows.find((r) => r.name === name);
      const waiting = pending.find((p) => p.name === name);
      const installation: Installation = {
        name,
        version: plugin?.manifest?.version ?? row?.version ?? null,
        source: row?.source ?? 'folder',
        checksum: row?.checksum ?? null,
        installedAt: row?.installed_at ?? null,
        updatedAt: row?.updated_at ?? null,
        previousVersion: row?.previous_version ?? null,
        previousKept: await exists(layout.previousFor(name)),
        ...(problems.has(name) ? { packageProblem: problems.get(name) } : {}),
      };
      if (!waiting || !plugin) {
        const inFolder = await context.waitingInFolder(plugin);
        return inFolder ? { ...installation, pending: inFolder } : installation;
      }
      const inspected = await context.inspect(layout.pendingFor(name)).catch((error: unknown) => {
        context.logger.warn({ err: error, plugin: name }, 'a pending plugin update is unreadable');
        return undefined;
      });
      if (inspected) {
        installation.pending = {
          version: waiting.version,
          source: waiting.source,
          checksum: waiting.checksum,
          capabilities: Capability.array().catch([]).parse(JSON.parse(waiting.capabilities)),
          stagedAt: waiting.staged_at,
          diff: context.diff(plugin, inspected),
        };
      }
      return installation;
    }),
  );
}
