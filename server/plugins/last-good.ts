import type { PluginState } from '../../shared/plugin-states.ts';
import type { PluginRecord } from './evaluate.ts';

/** States a new build can land in that should not take down the version that was running. */
const failedReload: ReadonlySet<PluginState> = new Set(['invalid', 'error']);

/**
 * A failed reload keeps the old version (SPEC 5.5): when a plugin that was active comes back from its
 * folder invalid or broken, or as a new version waiting for approval of new capabilities, the last good
 * record stays in force, carrying `reloadError` with why the new one was not taken. Pure.
 */
export function keepLastGood<R extends PluginRecord>(records: readonly R[], lastGood: ReadonlyMap<string, R>): R[] {
  return records.map((record) => {
    const good = lastGood.get(record.name);
    if (!good || good.directory !== record.directory || good.state !== 'active') return record;
    // A refused signature is not a failed build: the files on disk are no longer what was verified (and the
    // backend runs from them), or the key is no longer trusted. Nothing of the plugin keeps running.
    const signature = record.signature?.status;
    if (signature === 'untrusted' || signature === 'tampered') return record;
    if (signature === 'unsigned' && good.signature?.status === 'verified') return record;
    const newVersionWaiting =
      record.state === 'pending-approval' && record.manifest?.version !== good.manifest?.version;
    if (!failedReload.has(record.state) && !newVersionWaiting) return record;
    return {
      ...good,
      reloadError: {
        state: record.state,
        reason: record.reason ?? record.state,
        problems: record.problems,
        ...(record.manifest ? { version: record.manifest.version } : {}),
      },
    };
  });
}
