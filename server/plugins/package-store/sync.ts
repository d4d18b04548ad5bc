import { randomUUID } from 'node:crypto';
import { rm } from 'node:fs/promises';
import path from 'node:path';
import type { Logger } from 'pino';
import type { Database } from '../../db/database.ts';
import type { Settings } from '../../settings.ts';
import { crashPoint, type CrashPoint } from '../installation/crash.ts';
import { createJournal } from '../installation/journal.ts';
import { packageLayout, type PackageLayout } from '../installation/layout.ts';
import { exists } from '../installation/moves.ts';
import type { PackageLimits } from '../installation/package-files.ts';
import { keptRoot } from '../installation/versions.ts';
import type { PluginRegistry } from '../registry.ts';
import { busyPlugins, packageProblems } from './locks.ts';
import { localRevisions, type Role } from './revisions.ts';
import { digestOfFolder, PackageIntegrityError, unpackStored } from './store.ts';

/** What one sync did: the plugins it put in place or removed, and those it could not, with why. */
export interface SyncReport {
  fetched: string[];
  removed: string[];
  failed: { name: string; role: Role; digest: string; reason: string }[];
}

export interface PackageSync {
  /** Brings this replica's folders in line with the digests the database names; one sync at a time. */
  run(): Promise<SyncReport>;
  /** The packages this replica could not put in place at its last sync, by plugin: why it serves an older one. */
  failures(): ReadonlyMap<string, string>;
}

/**
 * Keeps a replica's plugin folders in step with the package store. The database names, per plugin, the digest of
 * the running version (plugin_installations.digest) and of a pending update (plugin_pending_updates.digest); the
 * local revision files say what this replica's folders hold. For each difference the replica fetches the package
 * by digest, verifies its sha256, unpacks it into its own staging and swaps it in through the journal (so a crash
 * leaves the old folder or the new one); a plugin whose rows are gone is removed here too. A package failing
 * verification is never unpacked: the plugin keeps its last good folder and the failure is logged and reported.
 *
 * Plugins without a digest (folders an operator dropped into PLUGINS_DIRECTORY, installs from before the store)
 * are this replica's own business: the sync never touches them. A start with every revision up to date reads the
 * digests only, never a package.
 */
export function createPackageSync(options: {
  db: Database;
  layout: PackageLayout;
  limits: PackageLimits;
  crash: CrashPoint;
  logger: Logger;
}): PackageSync {
  const { db, layout, logger } = options;
  const journal = createJournal(db, layout, options.crash, logger);
  const revisions = localRevisions(layout);
  const busy = busyPlugins(layout.root);
  const failures = packageProblems(layout.root);

  const folderOf = (role: Role, name: string) =>
    role === 'installed' ? layout.installedFor(name) : layout.pendingFor(name);

  /** Replaces the plugin's folder of `role` with the stored package `digest`; false when it held it already. */
  async function put(role: Role, name: string, digest: string): Promise<boolean> {
    const id = randomUUID();
    const staging = layout.stagingFor(id);
    const trash = layout.trashFor(id);
    const unpacked = path.join(staging, 'package');
    const target = folderOf(role, name);
    // The folder may hold it already: its revision file was lost to a crash, or PLUGINS_DIRECTORY is shared.
    if ((await exists(target)) && (await digestOfFolder(target).catch(() => undefined)) === digest) {
      await revisions.set(role, name, digest);
      return false;
    }
    try {
      await unpackStored(db, digest, unpacked, options.limits);
      await journal.run({
        id,
        plugin: name,
        kind: 'sync',
        moves: [
          ...((await exists(target)) ? [{ from: target, to: `${trash}/${role}` }] : []),
          { from: unpacked, to: target },
        ],
        effects: [],
        cleanup: [staging, trash],
      });
    } catch (error) {
      await rm(staging, { recursive: true, force: true });
      throw error;
    }
    await revisions.set(role, name, digest);
    return true;
  }

  /** Moves the plugin's folders of `roles` to the trash (a plugin removed, or its pending update gone). */
  async function drop(name: string, roles: readonly Role[]): Promise<void> {
    const id = randomUUID();
    const trash = layout.trashFor(id);
    const folders = [
      ...roles.map((role) => folderOf(role, name)),
      ...(roles.includes('installed') ? [layout.previousFor(name), keptRoot(layout, name)] : []),
    ];
    const present = [];
    for (const folder of folders) if (await exists(folder)) present.push(folder);
    if (present.length > 0) {
      await journal.run({
        id,
        plugin: name,
        kind: 'sync',
        moves: present.map((from, i) => ({ from, to: `${trash}/${i}` })),
        effects: [],
        cleanup: [trash],
      });
    }
    for (const role of roles) await revisions.set(role, name, null);
  }

  async function once(): Promise<SyncReport> {
    const report: SyncReport = { fetched: [], removed: [], failed: [] };
    const installed = await db.all<{ name: string; digest: string | null }>(
      'SELECT name, digest FROM plugin_installations',
    );
    const pending = await db.all<{ name: string; digest: string }>(
      'SELECT name, digest FROM plugin_pending_updates WHERE digest IS NOT NULL',
    );
    const desired: Record<Role, Map<string, string>> = {
      installed: new Map(installed.filter((r) => r.digest).map((r) => [r.name, r.digest!])),
      pending: new Map(pending.map((r) => [r.name, r.digest])),
    };
    const recorded = new Set(installed.map((r) => r.name));
    for (const role of ['installed', 'pending'] as const) {
      const local = await revisions.read(role);
      for (const [name, digest] of desired[role]) {
        if (local.get(name) === digest || busy.has(name)) continue;
        busy.add(name);
        try {
          if (await put(role, name, digest)) report.fetched.push(name);
          failures.delete(name);
        } catch (error) {
          const reason = error instanceof Error ? error.message : String(error);
          const what = error instanceof PackageIntegrityError ? error.reason : `could not be put in place: ${reason}`;
          const version = role === 'installed' ? 'running' : 'pending';
          failures.set(name, `the package recorded for its ${version} version (${digest.slice(0, 19)}…) ${what}`);
          report.failed.push({ name, role, digest, reason });
          const message = 'could not put in place the package another replica recorded; keeping the local folder';
          logger.error(
            { err: error, plugin: name, role, digest, integrity: error instanceof PackageIntegrityError },
            message,
          );
        } finally {
          busy.delete(name);
        }
      }
      for (const name of local.keys()) {
        if (desired[role].has(name) || busy.has(name)) continue;
        // A plugin whose row remains without a digest (rolled back to a version the store never had) stays as is.
        if (role === 'installed' && recorded.has(name)) {
          await revisions.set(role, name, null);
          continue;
        }
        busy.add(name);
        try {
          await drop(name, role === 'installed' ? ['installed', 'pending'] : ['pending']);
          if (role === 'installed') report.removed.push(name);
        } catch (error) {
          logger.error({ err: error, plugin: name, role }, 'could not remove a plugin folder another replica removed');
        } finally {
          busy.delete(name);
        }
      }
    }
    if (report.fetched.length + report.removed.length + report.failed.length > 0) {
      logger.info(report, 'plugin packages synced with the package store');
    }
    return report;
  }

  let running: Promise<SyncReport> = Promise.resolve({ fetched: [], removed: [], failed: [] });
  let queued: Promise<SyncReport> | undefined;
  return {
    // Like the registry's refresh: one at a time, and every request made before the next one starts shares it.
    run() {
      if (queued) return queued;
      const start = () => {
        queued = undefined;
        return once();
      };
      queued = running = running.then(start, start);
      return queued;
    },
    failures: () => failures,
  };
}

/**
 * The registry as another replica's change reaches it: the package sync runs before each refresh, so the refresh
 * finds the new folders. The registry's own refreshes (local changes) need no sync.
 */
export function syncingRegistry(registry: PluginRegistry, sync: PackageSync): PluginRegistry {
  return {
    ...registry,
    async refresh() {
      await sync.run();
      return registry.refresh();
    },
  };
}

/**
 * At start, after recovery and before the first discovery: the package sync of this server's folders, run once so
 * a replica that was away serves what the others do. With the plugin system off there is nothing to put in place.
 */
export async function startPackageSync(
  settings: Pick<
    Settings,
    'dataDirectory' | 'pluginsDirectory' | 'pluginPackages' | 'testCrashAt' | 'pluginSystemEnabled'
  >,
  db: Database,
  logger: Logger,
): Promise<PackageSync> {
  const sync = createPackageSync({
    db,
    layout: packageLayout(settings.dataDirectory, settings.pluginsDirectory),
    limits: settings.pluginPackages,
    crash: crashPoint(settings.testCrashAt),
    logger: logger.child({ component: 'package-sync' }),
  });
  if (!settings.pluginSystemEnabled)
    return { run: async () => ({ fetched: [], removed: [], failed: [] }), failures: () => new Map() };
  await sync.run();
  return sync;
}

/**
 * Every `everyMs`, the sync once more, and a registry refresh when it changed folders. A change another server
 * announces can reach this one while that server still holds the plugin (its swap or removal is refused here, and
 * logged) or be lost with a notification: this pass puts it in place anyway. Two reads of digests when nothing
 * changed. Returns the stop.
 */
export function keepSyncing(sync: PackageSync, refresh: () => Promise<unknown>, logger: Logger, everyMs: number) {
  const timer = setInterval(() => {
    sync
      .run()
      .then((report) => (report.fetched.length + report.removed.length > 0 ? refresh() : undefined))
      .catch((error: unknown) => logger.warn({ err: error }, 'the periodic package sync failed; it runs again'));
  }, everyMs);
  timer.unref();
  return () => clearInterval(timer);
}
