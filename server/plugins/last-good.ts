import type { PluginState } from '../../shared/plugin-states.ts';
import type { PluginRecord } from './evaluate.ts';

/** Why a plugin's newest build was not taken while its last good build keeps serving. */
export type ReloadError = NonNullable<PluginRecord['reloadError']>;

/** States a new build can land in that should not take down the version that was running. */
const failedReload: ReadonlySet<PluginState> = new Set(['invalid', 'error']);

/**
 * A failed reload keeps the old version (SPEC 5.5): when a plugin whose last good build was active comes back from
 * its folder invalid or broken, or as a new version waiting for approval of new capabilities, the last good build
 * stays in force. Returns why the new build is not taken, or undefined when it is. Pure.
 *
 * Only which build is in force is decided here: whether it runs, and where, is decided afresh from the admin's
 * switches by evaluating that build again (registry.ts), so a disable always wins over a broken build on disk.
 */
export function reloadFailure(record: PluginRecord, good: PluginRecord | undefined): ReloadError | undefined {
  if (!good || good.directory !== record.directory || good.state !== 'active') return undefined;
  // A refused signature is not a failed build: the files on disk are no longer what was verified (and the
  // backend runs from them), or the key is no longer trusted. Nothing of the plugin keeps running.
  const signature = record.signature?.status;
  if (signature === 'untrusted' || signature === 'tampered') return undefined;
  if (signature === 'unsigned' && good.signature?.status === 'verified') return undefined;
  const newVersionWaiting = record.state === 'pending-approval' && record.manifest?.version !== good.manifest?.version;
  if (!failedReload.has(record.state) && !newVersionWaiting) return undefined;
  return {
    state: record.state,
    reason: record.reason ?? record.state,
    problems: record.problems,
    ...(record.manifest ? { version: record.manifest.version } : {}),
    ...(newVersionWaiting && record.manifest ? { waiting: { manifest: record.manifest, access: record.access } } : {}),
  };
}

/**
 * Whether the last good build is still the one to fall back to after a refresh whose record is `now` (which is
 * not a fallback itself): it was switched off by an admin (the same build, so switching it on again brings it
 * back whatever is on disk by then) or replaced in another folder. Pure.
 */
export function stillLastGood(now: PluginRecord | undefined, good: PluginRecord): boolean {
  if (!now || now.directory !== good.directory) return now !== undefined;
  return now.state === 'disabled' && now.revision === good.revision;
}
