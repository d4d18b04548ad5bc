import type { Capability } from '@dbt-workbench/plugin-sdk/contracts/capabilities';
import type { User } from '../../auth/users-repository.ts';
import type { Effect } from './effects.ts';
import type { Move, OperationPlan } from './journal.ts';
import type { PackageLayout } from './layout.ts';

/** Who did it and when: every plan's audit entry and timestamps. */
export interface Act {
  id: string;
  actor: User;
  at: string;
}

/** The package an operation puts in place: where it is now, its version and how it arrived. */
export interface PackageFacts {
  name: string;
  version: string;
  capabilities: Capability[];
  /** The keys of its whole access request (shared/access-request.ts), for the audit trail. */
  access: string[];
  source: string;
  checksum: string | null;
  /** Its digest in the package store, which every replica fetches it by (package-store/store.ts). */
  digest: string | null;
}

function audit(act: Act, action: string, target: string, details: unknown): Effect {
  return { type: 'audit', actorId: act.actor.id, actorName: act.actor.username, action, target, details, at: act.at };
}

/** Install: the staged package moves to `PLUGINS_DIRECTORY/<name>`; its installation is recorded and audited. */
export function installPlan(layout: PackageLayout, act: Act, from: string, pkg: PackageFacts): OperationPlan {
  return {
    id: act.id,
    plugin: pkg.name,
    kind: 'install',
    moves: [{ from, to: layout.installedFor(pkg.name) }],
    effects: [
      {
        type: 'installation',
        name: pkg.name,
        version: pkg.version,
        source: pkg.source,
        checksum: pkg.checksum,
        previousVersion: null,
        installedAt: act.at,
        at: act.at,
        digest: pkg.digest,
      },
      audit(act, 'plugin.install', pkg.name, {
        version: pkg.version,
        source: pkg.source,
        checksum: pkg.checksum,
        capabilities: pkg.capabilities,
        access: pkg.access,
      }),
    ],
    cleanup: [layout.stagingFor(act.id)],
  };
}

/** Stage an update that waits for approval: it replaces any earlier pending update of the plugin. */
export function pendingPlan(
  layout: PackageLayout,
  act: Act,
  from: string,
  pkg: PackageFacts,
  replacesPending: boolean,
  details: Record<string, unknown>,
): OperationPlan {
  const pending = layout.pendingFor(pkg.name);
  return {
    id: act.id,
    plugin: pkg.name,
    kind: 'stage-update',
    moves: [
      ...(replacesPending ? [{ from: pending, to: `${layout.trashFor(act.id)}/pending` }] : []),
      { from, to: pending },
    ],
    effects: [
      {
        type: 'pending',
        name: pkg.name,
        version: pkg.version,
        source: pkg.source,
        checksum: pkg.checksum,
        capabilities: pkg.capabilities,
        userId: act.actor.id,
        at: act.at,
        digest: pkg.digest,
      },
      audit(act, 'plugin.update.stage', pkg.name, {
        version: pkg.version,
        source: pkg.source,
        access: pkg.access,
        ...details,
      }),
    ],
    cleanup: [layout.stagingFor(act.id), layout.trashFor(act.id)],
  };
}

export interface ActivationInput {
  /** The folder of the version running now (undefined when it vanished from disk). */
  currentDirectory: string | undefined;
  currentVersion: string | null;
  /** When the plugin was first installed (kept across updates). */
  installedAt: string | undefined;
  /** Where the new version is: a staging folder, or the pending folder when an approval activates it. */
  from: string;
  pkg: PackageFacts;
  /** Access keys to record as approved for the new version. */
  approve: string[];
  hasPrevious: boolean;
  hasPending: boolean;
  action: string;
  details: Record<string, unknown>;
}

/**
 * Activate a new version, atomically per folder: the kept previous version goes to the trash, the running version
 * becomes the kept previous one, the new version takes its folder. A pending update it supersedes is dropped.
 */
export function activationPlan(layout: PackageLayout, act: Act, input: ActivationInput): OperationPlan {
  const { pkg } = input;
  const target = input.currentDirectory ?? layout.installedFor(pkg.name);
  const trash = layout.trashFor(act.id);
  const pending = layout.pendingFor(pkg.name);
  const moves: Move[] = [
    ...(input.hasPrevious ? [{ from: layout.previousFor(pkg.name), to: `${trash}/previous` }] : []),
    ...(input.currentDirectory ? [{ from: input.currentDirectory, to: layout.previousFor(pkg.name) }] : []),
    { from: input.from, to: target },
    ...(input.hasPending && input.from !== pending ? [{ from: pending, to: `${trash}/pending` }] : []),
  ];
  return {
    id: act.id,
    plugin: pkg.name,
    kind: 'activate',
    moves,
    effects: [
      ...(input.approve.length > 0
        ? [
            {
              type: 'approval' as const,
              name: pkg.name,
              version: pkg.version,
              grants: input.approve,
              userId: act.actor.id,
              at: act.at,
            },
          ]
        : []),
      {
        type: 'installation',
        name: pkg.name,
        version: pkg.version,
        source: pkg.source,
        checksum: pkg.checksum,
        previousVersion: input.currentDirectory ? input.currentVersion : null,
        installedAt: input.installedAt ?? act.at,
        at: act.at,
        digest: pkg.digest,
      },
      { type: 'clear-pending', name: pkg.name },
      audit(act, input.action, pkg.name, {
        from: input.currentVersion,
        to: pkg.version,
        source: pkg.source,
        checksum: pkg.checksum,
        ...input.details,
      }),
    ],
    cleanup: [layout.stagingFor(act.id), trash],
  };
}

/** Drop a pending update. */
export function discardPlan(layout: PackageLayout, act: Act, name: string, version: string): OperationPlan {
  return {
    id: act.id,
    plugin: name,
    kind: 'discard-update',
    moves: [{ from: layout.pendingFor(name), to: `${layout.trashFor(act.id)}/pending` }],
    effects: [{ type: 'clear-pending', name }, audit(act, 'plugin.update.discard', name, { version })],
    cleanup: [layout.trashFor(act.id)],
  };
}

/** Remove: every folder of the plugin goes to the trash; its rows go, except the audit trail. */
export function removePlan(
  layout: PackageLayout,
  act: Act,
  name: string,
  version: string | null,
  folders: { current: string | undefined; previous: boolean; pending: boolean },
): OperationPlan {
  const trash = layout.trashFor(act.id);
  return {
    id: act.id,
    plugin: name,
    kind: 'remove',
    moves: [
      ...(folders.current ? [{ from: folders.current, to: `${trash}/plugin` }] : []),
      ...(folders.previous ? [{ from: layout.previousFor(name), to: `${trash}/previous` }] : []),
      ...(folders.pending ? [{ from: layout.pendingFor(name), to: `${trash}/pending` }] : []),
    ],
    effects: [{ type: 'forget', name }, audit(act, 'plugin.remove', name, { version })],
    cleanup: [trash],
  };
}
