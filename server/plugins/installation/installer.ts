import { randomUUID } from 'node:crypto';
import { mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import type { Logger } from 'pino';
import { accessEntries, accessRequestOf } from '@dbt-workbench/plugin-sdk/contracts/access-request';
import type { Installation, InstallPreview, UpdateDiff } from '../../../shared/installation.schema.ts';
import type { PluginManifest } from '@dbt-workbench/plugin-sdk/contracts/plugin-manifest.schema';
import type { User } from '../../auth/users-repository.ts';
import type { Database } from '../../db/database.ts';
import { HttpError } from '../../http/errors.ts';
import type { HostFacts } from '@dbt-workbench/plugin-sdk/node/compatibility';
import { approvalKeysOf } from '../approvals.ts';
import type { CapabilityPolicy } from '../evaluate.ts';
import type { PluginRegistry, RegisteredPlugin } from '../registry.ts';
import { refuseClashes, refuseClashesOfFolder } from './clashes.ts';
import type { CrashPoint } from './crash.ts';
import { updateDiff } from './diff.ts';
import { pluginsInFlight } from './in-flight.ts';
import { inspectPackage, type InspectedPackage } from './inspect.ts';
import { createJournal, type Journal } from './journal.ts';
import { isInside, packageLayout, type PackageLayout } from './layout.ts';
import { exists, moveDirectory } from './moves.ts';
import { PackageError, type PackageLimits } from './package-files.ts';
import { installationRowOf, listInstallations, pendingRowOf } from './installations.ts';
import {
  approveReviewed,
  rejectWaiting,
  reviewedWaiting,
  waitingAsPending,
  waitingBuild,
  waitingDiff,
} from '../approvals-waiting.ts';
import { activationPlan, discardPlan, installPlan, pendingPlan, removePlan, type Act } from './plans.ts';
import { stagePackage, type PackageSource, type StagedPackage } from './sources.ts';
import { requireUnpinned } from './pinning.ts';
import { pinRemoteAtApproval } from '../remote-pins/pinning.ts';
import { busyPlugins } from '../package-store/locks.ts';
import { digestOfVersion, keptInStore, storeFolder, unpackStored } from '../package-store/store.ts';
import {
  allKept,
  discardKeptPlan,
  keepingPlan,
  keptFor,
  keptRoot,
  keptVersions,
  rollbackPlan,
  rollbackTarget,
} from './versions.ts';

export interface InstallerOptions {
  db: Database;
  registry: PluginRegistry;
  pluginsDirectory: string;
  dataDirectory: string;
  pluginSystemEnabled: boolean;
  host: HostFacts;
  policy: CapabilityPolicy;
  limits: PackageLimits;
  gitTimeoutMs: number;
  /** How many previous versions to keep for rollback (PLUGIN_KEEP_VERSIONS). */
  keepVersions: number;
  crash: CrashPoint;
  logger: Logger;
}

/** Folder names discovery never searches: a plugin by that name would install but never be found. */
const RESERVED_NAMES = new Set(['node_modules', 'src', 'frontend', 'backend', 'static', 'dist']);

/**
 * Installs, updates and removes plugin packages. Every change goes through the journal (see journal.ts), so a
 * crash at any moment leaves the state before or after it; the registry is refreshed after each.
 *
 * Updates that ask for anything not approved yet (a capability, an OS grant, a higher limit, code from elsewhere)
 * are staged in `<data>/plugin-packages/pending/<name>` and the old version keeps running from its folder,
 * untouched, until an admin approves the pending version's whole request (`approvePending`), which swaps it in.
 * Updates whose request the installed version's approvals cover already swap in at once.
 */
export function createInstaller(options: InstallerOptions) {
  const { db, registry, crash, logger } = options;
  const layout: PackageLayout = packageLayout(options.dataDirectory, options.pluginsDirectory);
  const journal: Journal = createJournal(db, layout, crash, logger);
  const busy = busyPlugins(layout.root);

  function lock(name: string): () => void {
    if (busy.has(name)) {
      throw new HttpError('conflict', `Another install, update or remove of "${name}" is running; try again shortly`);
    }
    busy.add(name);
    return () => busy.delete(name);
  }

  function requireEnabled(): void {
    if (!options.pluginSystemEnabled) {
      throw new HttpError('conflict', 'The plugin system is turned off on this server (PLUGIN_SYSTEM_ENABLED=false)');
    }
  }

  function act(actor: User): Act {
    return { id: randomUUID(), actor, at: new Date().toISOString() };
  }

  /** Stages and inspects a source, runs `work`, and always deletes the staging folder afterwards. */
  async function withStaged<T>(
    source: PackageSource,
    step: string,
    work: (id: string, staged: StagedPackage, inspected: InspectedPackage) => Promise<T>,
  ): Promise<T> {
    const id = randomUUID();
    const stagingDir = layout.stagingFor(id);
    try {
      const staged = await stagePackage(source, stagingDir, {
        limits: options.limits,
        gitTimeoutMs: options.gitTimeoutMs,
        midway: () => crash(`${step}:staging`),
      });
      const inspected = await inspectStaged(staged.root);
      const expected = source.kind === 'zip' ? source.expect : undefined;
      const { name, version } = inspected.manifest;
      if (expected && (expected.name !== name || expected.version !== version)) {
        throw new PackageError(
          `the catalog lists this package as ${expected.name}@${expected.version}, but it holds ${name}@${version}`,
        );
      }
      if (RESERVED_NAMES.has(inspected.manifest.name)) {
        throw new PackageError(`a plugin cannot be named "${inspected.manifest.name}": discovery skips such folders`);
      }
      refuseClashes(inspected.manifest, registry.list());
      return await work(id, staged, inspected);
    } finally {
      await rm(stagingDir, { recursive: true, force: true });
    }
  }

  const installationRow = (name: string) => installationRowOf(db, name);
  const pendingRow = (name: string) => pendingRowOf(db, name);

  /** Inspects a package folder against the plugins installed now. */
  function inspectStaged(root: string): Promise<InspectedPackage> {
    return inspectPackage(root, {
      host: options.host,
      policy: options.policy,
      installed: registry.list(),
      protectedPaths: registry.protectedPaths,
      limits: options.limits,
    });
  }

  /** The folder of an installed plugin, refused when it lies outside PLUGINS_DIRECTORY. */
  function folderOf(plugin: RegisteredPlugin): string {
    if (!isInside(layout.pluginsDirectory, plugin.directory) || plugin.directory === layout.pluginsDirectory) {
      throw new HttpError('conflict', `Plugin "${plugin.name}" lives outside PLUGINS_DIRECTORY (${plugin.directory})`);
    }
    return plugin.directory;
  }

  /** The diff from the running version (none when it vanished) to an inspected package. */
  function diffFor(plugin: RegisteredPlugin | undefined, inspected: InspectedPackage): UpdateDiff {
    return updateDiff(
      {
        version: plugin?.manifest?.version ?? null,
        capabilities: plugin?.manifest?.capabilities ?? [],
        access: plugin?.access ?? [],
        contributions: plugin?.manifest?.frontend?.contributions ?? [],
      },
      inspected.manifest,
      {
        autoApprove: options.policy.autoApprove,
        defaults: options.policy.limits.defaults,
        problems: inspected.problems,
        warnings: inspected.warnings,
      },
    );
  }

  /** What a package records about itself in plans and the audit trail. */
  function packageFacts(
    manifest: PluginManifest,
    staged: { source: string; checksum: string | null },
    digest: string | null,
  ) {
    return {
      name: manifest.name,
      version: manifest.version,
      capabilities: manifest.capabilities,
      access: approvalKeysOf(manifest, options.policy.limits.defaults),
      source: staged.source,
      checksum: staged.checksum,
      digest,
    };
  }

  /**
   * Unpacks a stored package into a folder of this replica that lacks it (a pending update or a kept version
   * another replica recorded): through staging, so the folder appears whole or not at all.
   */
  async function materialize(digest: string, folder: string): Promise<void> {
    const staging = layout.stagingFor(randomUUID());
    try {
      await unpackStored(db, digest, path.join(staging, 'package'), options.limits);
      await mkdir(path.dirname(folder), { recursive: true, mode: 0o755 });
      await moveDirectory(path.join(staging, 'package'), folder);
    } finally {
      await rm(staging, { recursive: true, force: true });
    }
  }

  /** Why installing a package named so would be refused now, besides its own problems. */
  function installedProblem(name: string): string | undefined {
    const existing = registry.get(name);
    if (!existing) return undefined;
    return `Plugin "${name}" is already installed (version ${existing.manifest?.version ?? 'unknown'}); update it instead (POST /api/plugins/${name}/update)`;
  }

  async function activate(
    a: Act,
    plugin: RegisteredPlugin | undefined,
    from: string,
    input: {
      pkg: ReturnType<typeof packageFacts>;
      approve: string[];
      action: string;
      details: Record<string, unknown>;
    },
  ): Promise<void> {
    const name = input.pkg.name;
    const currentDirectory = plugin && (await exists(plugin.directory)) ? folderOf(plugin) : undefined;
    const plan = activationPlan(layout, a, {
      currentDirectory,
      currentVersion: plugin?.manifest?.version ?? null,
      installedAt: (await installationRow(name))?.installed_at,
      from,
      pkg: input.pkg,
      approve: input.approve,
      hasPrevious: await exists(layout.previousFor(name)),
      hasPending: await exists(layout.pendingFor(name)),
      action: input.action,
      details: input.details,
    });
    await journal.run(await keepingPlan(layout, plan, options.keepVersions));
  }

  return {
    layout,
    journal,

    /**
     * What installing a source would ask for, in plain words, with the reasons it would be refused; writes nothing
     * (the staged copy is deleted). The shell shows it before the admin confirms an upload.
     */
    async preview(source: PackageSource): Promise<InstallPreview> {
      requireEnabled();
      return withStaged(source, 'preview', async (_id, _staged, inspected) => {
        const { manifest } = inspected;
        const request = accessRequestOf(manifest, options.policy.limits.defaults);
        const installed = installedProblem(manifest.name);
        const problems = [...inspected.problems, ...(installed ? [installed] : [])];
        return {
          status: 'preview' as const,
          name: manifest.name,
          version: manifest.version,
          displayName: manifest.displayName,
          description: manifest.description,
          access: accessEntries(request, new Set(options.policy.autoApprove)),
          installable: problems.length === 0,
          problems,
          warnings: inspected.warnings,
        };
      });
    },

    /** Installs a new plugin from a source; refuses a name already installed (409: use update). */
    async install(source: PackageSource, actor: User): Promise<{ name: string; warnings: string[] }> {
      requireEnabled();
      return withStaged(source, 'install', async (id, staged, inspected) => {
        const { manifest } = inspected;
        if (inspected.problems.length > 0) {
          throw new PackageError(
            `${manifest.name} ${manifest.version} cannot run on this server: ${inspected.problems.join('; ')}`,
            inspected.problems,
          );
        }
        const release = lock(manifest.name);
        try {
          const installed = installedProblem(manifest.name);
          if (installed) throw new HttpError('conflict', installed);
          if (await exists(layout.installedFor(manifest.name))) {
            throw new HttpError('conflict', `A folder named "${manifest.name}" already exists in PLUGINS_DIRECTORY`);
          }
          const digest = await storeFolder(db, staged.root);
          // The operation takes the staging folder's id, so its cleanup deletes that folder.
          const plan = installPlan(layout, { ...act(actor), id }, staged.root, packageFacts(manifest, staged, digest));
          await journal.run(plan);
        } finally {
          release();
        }
        await registry.refresh();
        return { name: manifest.name, warnings: inspected.warnings };
      });
    },

    /**
     * Updates an installed plugin. `dryRun` only answers the diff. Otherwise the new version is activated at once
     * when the installed version's approvals cover its whole access request, or staged as pending until an admin
     * approves it.
     */
    async update(
      name: string,
      source: PackageSource,
      actor: User,
      dryRun: boolean,
    ): Promise<{ status: 'preview' | 'activated' | 'pending-approval'; diff: UpdateDiff }> {
      requireEnabled();
      const plugin = registry.get(name);
      if (!plugin) throw new HttpError('plugin_not_found', `No plugin named "${name}" is installed`);
      return withStaged(source, 'update', async (id, staged, inspected) => {
        const { manifest } = inspected;
        if (manifest.name !== name) {
          throw new PackageError(`the package is the plugin "${manifest.name}", not "${name}"`);
        }
        const diff = diffFor(plugin, inspected);
        if (dryRun) return { status: 'preview' as const, diff };
        await requireUnpinned(db, name, 'updating it');
        if (!diff.compatible) {
          throw new PackageError(
            `${name} ${manifest.version} cannot run on this server (${diff.problems.join('; ')}); the installed version stays`,
            diff.problems,
          );
        }
        if (diff.change === 'same') {
          throw new HttpError('conflict', `Version ${manifest.version} of "${name}" is installed already`);
        }
        const release = lock(name);
        const a = { ...act(actor), id };
        let pkg: ReturnType<typeof packageFacts>;
        try {
          pkg = packageFacts(manifest, staged, await storeFolder(db, staged.root));
        } catch (error) {
          release();
          throw error;
        }
        const keys = (entries: { key: string }[]) => entries.map((e) => e.key);
        const details = {
          added: keys(diff.access.added),
          removed: keys(diff.access.removed),
          needsApproval: keys(diff.access.needsApproval),
        };
        const waits = diff.access.needsApproval.length > 0;
        try {
          if (waits) {
            const replaces = await exists(layout.pendingFor(name));
            await journal.run(
              pendingPlan(layout, a, staged.root, pkg, replaces, { from: diff.from.version, ...details }),
            );
          } else {
            // What the installed version had approved carries over to the items of the new request it covers.
            const carried = keys(diff.access.request.filter((e) => e.approved));
            // An approved remote URL carries over, its content does not: the admin updating pins what it serves now.
            await pinRemoteAtApproval(db, manifest, actor.id);
            await activate(a, registry.get(name), staged.root, {
              pkg,
              approve: carried,
              action: 'plugin.update',
              details,
            });
          }
        } finally {
          release();
        }
        await registry.refresh();
        return { status: waits ? ('pending-approval' as const) : ('activated' as const), diff };
      });
    },

    /** Approves the whole access request of a pending update at the version the admin reviewed, and swaps it in. */
    async approvePending(name: string, version: string, actor: User): Promise<UpdateDiff> {
      requireEnabled();
      const row = await pendingRow(name);
      const waiting = waitingBuild(registry.get(name));
      if (!row && !waiting) throw new HttpError('not_found', `No update of "${name}" is waiting for approval`);
      await requireUnpinned(db, name, 'approving its update');
      if (!row) {
        // A newer build in the plugin's own folder: the same approval as `POST /api/plugins/:name/approve`.
        const plugin = registry.get(name)!;
        const diff = waitingDiff(plugin, reviewedWaiting(plugin, version), options.policy);
        await approveReviewed(db, plugin, version, actor, 'plugin.update.approve');
        await registry.refresh();
        return diff;
      }
      if (row.version !== version) {
        throw new HttpError(
          'conflict',
          `You reviewed version ${version}, but ${row.version} is pending now; review it again`,
        );
      }
      const release = lock(name);
      try {
        const plugin = registry.get(name);
        // Staged through another replica: this one fetches the very package the admin reviewed.
        if (row.digest && !(await exists(layout.pendingFor(name))))
          await materialize(row.digest, layout.pendingFor(name));
        const inspected = await inspectStaged(layout.pendingFor(name));
        const diff = diffFor(plugin, inspected);
        if (inspected.problems.length > 0) {
          throw new PackageError(`${name} ${version} cannot run on this server: ${inspected.problems.join('; ')}`);
        }
        refuseClashes(inspected.manifest, registry.list());
        await pinRemoteAtApproval(db, inspected.manifest, actor.id);
        const pkg = packageFacts(inspected.manifest, row, row.digest ?? null);
        await activate(act(actor), plugin, layout.pendingFor(name), {
          pkg,
          approve: pkg.access,
          action: 'plugin.update.approve',
          details: { capabilities: pkg.capabilities, access: pkg.access, added: diff.access.added.map((e) => e.key) },
        });
        await registry.refresh();
        return diff;
      } finally {
        release();
      }
    },

    /** Drops a pending update (rejects a newer build in the plugin's folder); the installed version is untouched. */
    async discardPending(name: string, actor: User): Promise<void> {
      const row = await pendingRow(name);
      if (!row) {
        // A newer build in the plugin's own folder cannot be dropped from there: it is rejected (remembered).
        const plugin = registry.get(name);
        const waiting = waitingBuild(plugin);
        if (!plugin || !waiting) throw new HttpError('not_found', `No update of "${name}" is waiting for approval`);
        await rejectWaiting(db, plugin, waiting.manifest.version, actor);
        return;
      }
      const release = lock(name);
      try {
        await journal.run(discardPlan(layout, act(actor), name, row.version));
      } finally {
        release();
      }
    },

    /**
     * Removes a plugin: refused (409) while it has operations in flight. Deletes its folder, kept previous version,
     * pending update, approvals, enablement rules and configuration; keeps the audit trail.
     */
    async remove(name: string, actor: User): Promise<{ version: string | null }> {
      const plugin = registry.get(name);
      const row = await installationRow(name);
      if (!plugin && !row) throw new HttpError('plugin_not_found', `No plugin named "${name}" is installed`);
      const inFlight = pluginsInFlight(registry).count(name);
      if (inFlight > 0) {
        throw new HttpError(
          'conflict',
          `Plugin "${name}" has ${inFlight} operation${inFlight === 1 ? '' : 's'} in flight (calls, hooks or runs); remove it once they finish`,
        );
      }
      const release = lock(name);
      const version = plugin?.manifest?.version ?? row?.version ?? null;
      try {
        const current = plugin && (await exists(plugin.directory)) ? folderOf(plugin) : undefined;
        // The older kept versions go first, in an operation of their own, so the removal's steps stay as they were.
        if (await exists(keptRoot(layout, name))) await journal.run(discardKeptPlan(layout, act(actor), name));
        await journal.run(
          removePlan(layout, act(actor), name, version, {
            current,
            previous: await exists(layout.previousFor(name)),
            pending: await exists(layout.pendingFor(name)),
          }),
        );
      } finally {
        release();
      }
      await registry.refresh();
      return { version };
    },

    /**
     * Rolls back to a kept version (default: the one the last update replaced), atomically through the journal.
     * Refused (409) while pinned, in flight, or with nothing kept. The target runs with its own earlier approvals.
     */
    async rollback(name: string, asked: string | undefined, actor: User): Promise<{ from: string; to: string }> {
      requireEnabled();
      const plugin = registry.get(name);
      if (!plugin) throw new HttpError('plugin_not_found', `No plugin named "${name}" is installed`);
      const current = plugin.manifest?.version;
      if (!current || !(await exists(plugin.directory))) {
        throw new HttpError('conflict', `Plugin "${name}" has no readable running version to roll back from`);
      }
      await requireUnpinned(db, name, 'rolling it back');
      const release = lock(name);
      try {
        const row = await installationRow(name);
        // A version this replica never kept (the update went through another one) comes from the package store.
        const wanted = asked ?? row?.previous_version ?? undefined;
        if (wanted && wanted !== current && !allKept(await keptVersions(layout, name)).includes(wanted)) {
          const stored = (await keptInStore(db, name, current, options.keepVersions)).find((v) => v.version === wanted);
          if (stored) await materialize(stored.digest, keptFor(layout, name, wanted));
        }
        const kept = await keptVersions(layout, name);
        // By default the version the last update replaced, as recorded: a replica's own kept folders may be older.
        const recorded = wanted && wanted !== current && allKept(kept).includes(wanted) ? wanted : undefined;
        const target = rollbackTarget(name, kept, current, asked ?? recorded);
        const targetFolder = target === kept.previous ? layout.previousFor(name) : keptFor(layout, name, target);
        await refuseClashesOfFolder(targetFolder, registry.list());
        await journal.run(
          await rollbackPlan(layout, act(actor), {
            name,
            current: { directory: folderOf(plugin), version: current },
            target,
            kept,
            installedAt: row?.installed_at,
            source: `rollback from ${current}`,
            digest: await digestOfVersion(db, name, target),
          }),
        );
        await registry.refresh();
        return { from: current, to: target };
      } finally {
        release();
      }
    },

    /** How each plugin was installed, with its pending update and its diff. */
    installations(): Promise<Installation[]> {
      const waitingInFolder = (plugin: RegisteredPlugin | undefined) => waitingAsPending(db, plugin, options.policy);
      return listInstallations({
        db,
        registry,
        layout,
        inspect: inspectStaged,
        diff: diffFor,
        waitingInFolder,
        logger,
      });
    },
  };
}

export type Installer = ReturnType<typeof createInstaller>;
