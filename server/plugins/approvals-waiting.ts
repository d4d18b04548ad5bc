// One approval path for every new version (issue 13 item 2): a version waiting for approval, however it arrived,
// is reviewed, approved or rejected through the same rules. Installed and updated packages wait staged by the
// installer (installation/); a newer build that appeared in the plugin's folder (hot reload, an operator's copy,
// dev mode) waits as the registry's `reloadError.waiting` while the version in force keeps running.
import type { AccessEntry } from '@dbt-workbench/plugin-sdk/contracts/access-request';
import type { PluginManifest } from '@dbt-workbench/plugin-sdk/contracts/plugin-manifest.schema';
import type { PendingUpdate, UpdateDiff } from '../../shared/installation.schema.ts';
import { createAuditLog } from '../audit/audit-log.ts';
import type { User } from '../auth/users-repository.ts';
import type { Database } from '../db/database.ts';
import { HttpError } from '../http/errors.ts';
import { createApprovalStore, createRejectionStore } from './approvals.ts';
import type { CapabilityPolicy } from './evaluate.ts';
import { updateDiff } from './installation/diff.ts';
import type { RegisteredPlugin } from './registry.ts';
import { pinRemoteAtApproval } from './remote-pins/pinning.ts';

/** A version an admin can approve: its manifest and its whole access request. */
interface Reviewable {
  manifest: PluginManifest;
  access: readonly AccessEntry[];
}

/** The newer build in the plugin's folder that waits for approval while the version in force runs, if any. */
export function waitingBuild(plugin: RegisteredPlugin | undefined): Reviewable | undefined {
  return plugin?.reloadError?.waiting;
}

/**
 * The version the admin reviewed, when it is still the one to decide on: the newer build waiting in the folder,
 * or the version in force (a first approval). Otherwise 409 naming what waits now. Pure.
 */
export function reviewedVersion(plugin: RegisteredPlugin, version: string): Reviewable {
  const waiting = waitingBuild(plugin);
  if (waiting?.manifest.version === version) return waiting;
  const current = plugin.manifest;
  if (!current)
    throw new HttpError('conflict', `Plugin "${plugin.name}" has no valid manifest: ${plugin.reason ?? ''}`);
  if (current.version === version) return { manifest: current, access: plugin.access };
  const now = waiting ? `${waiting.manifest.version} is waiting now` : `${current.version} is installed now`;
  throw new HttpError('conflict', `You reviewed version ${version}, but ${now}; review it again`);
}

/**
 * Approves the reviewed version's whole access request (what its review listed), pinning a remote deployed at its
 * own URL first, with its audit entry in the same transaction. The caller refreshes the registry: a waiting build
 * then replaces the version in force.
 */
export async function approveReviewed(
  db: Database,
  plugin: RegisteredPlugin,
  version: string,
  user: User,
  action = 'plugin.approve',
): Promise<PluginManifest> {
  const { manifest, access } = reviewedVersion(plugin, version);
  const keys = access.map((entry) => entry.key);
  await pinRemoteAtApproval(db, manifest, user.id);
  await db.transaction(async (tx) => {
    await createApprovalStore(tx).approve(manifest.name, manifest.version, keys, user.id);
    await createAuditLog(tx).record({
      actor: user,
      action,
      target: manifest.name,
      details: { version, capabilities: manifest.capabilities, access: keys },
    });
  });
  return manifest;
}

/** The version in force when it waits for its first approval (nothing of the plugin runs), if it does. */
function firstVersionWaiting(plugin: RegisteredPlugin): Reviewable | undefined {
  if (plugin.state !== 'pending-approval' || plugin.reloadError || !plugin.manifest) return undefined;
  return { manifest: plugin.manifest, access: plugin.access };
}

/**
 * The version waiting for a decision when it is the one the admin reviewed: the newer build waiting in the folder,
 * or the version in force waiting for its first approval. Else 409 naming what waits now, or saying nothing does.
 * Pure.
 */
export function reviewedWaiting(plugin: RegisteredPlugin, version: string): Reviewable {
  const waiting = waitingBuild(plugin) ?? firstVersionWaiting(plugin);
  if (waiting?.manifest.version === version) return waiting;
  if (waiting)
    throw new HttpError(
      'conflict',
      `You reviewed version ${version}, but ${waiting.manifest.version} is waiting now; review it again`,
    );
  const now = plugin.manifest ? `version ${plugin.manifest.version} is ${plugin.state}` : `it is ${plugin.state}`;
  throw new HttpError(
    'conflict',
    `Nothing of "${plugin.name}" waits for approval (${now}), so version ${version} cannot be rejected`,
  );
}

/**
 * Rejects the version waiting for approval: a newer build in the plugin's folder (the version in force keeps
 * running) or the version in force waiting for its first approval (it stays pending and never runs). The rejection
 * is remembered (and audited) for that version until it is approved after all or a newer one appears. 409 when the
 * reviewed version is not the one waiting.
 */
export async function rejectWaiting(db: Database, plugin: RegisteredPlugin, version: string, user: User) {
  const waiting = reviewedWaiting(plugin, version);
  const running = waitingBuild(plugin) ? (plugin.manifest?.version ?? null) : null;
  await db.transaction(async (tx) => {
    await createRejectionStore(tx).reject(plugin.name, version, user);
    await createAuditLog(tx).record({
      actor: user,
      action: 'plugin.reject',
      target: plugin.name,
      details: { version, running, access: waiting.access.map((e) => e.key) },
    });
  });
}

/** What the waiting build changes against the version in force, as an installer's update diff shows it. Pure. */
export function waitingDiff(plugin: RegisteredPlugin, waiting: Reviewable, policy: CapabilityPolicy): UpdateDiff {
  return updateDiff(
    {
      version: plugin.manifest?.version ?? null,
      capabilities: plugin.manifest?.capabilities ?? [],
      access: plugin.access,
      contributions: plugin.manifest?.frontend?.contributions ?? [],
    },
    waiting.manifest,
    { autoApprove: policy.autoApprove, defaults: policy.limits.defaults, problems: [], warnings: [] },
  );
}

/** The waiting build as its installation's pending update (source `folder`), with a rejection of it if any. */
export async function waitingAsPending(
  db: Database,
  plugin: RegisteredPlugin | undefined,
  policy: CapabilityPolicy,
): Promise<PendingUpdate | undefined> {
  const waiting = waitingBuild(plugin);
  if (!plugin || !waiting) return undefined;
  const rejected = await createRejectionStore(db).of(plugin.name, waiting.manifest.version);
  return {
    version: waiting.manifest.version,
    source: 'folder',
    checksum: null,
    capabilities: waiting.manifest.capabilities,
    stagedAt: plugin.discoveredAt,
    diff: waitingDiff(plugin, waiting, policy),
    ...(rejected ? { rejected: { by: rejected.by, at: rejected.at } } : {}),
  };
}
