// An admin may say "no" to a plugin's first version as well as to a newer build (approvals-waiting.ts): the plugin
// stays `pending-approval` and never runs, but it no longer asks; its reason says who rejected it and what is left.
import type { Rejection } from '../../shared/api.schema.ts';
import type { RejectionLookup } from './approvals.ts';
import type { PluginRecord } from './evaluate.ts';

/** What a rejected first version tells the admin, with the day of the rejection (UTC). Pure. */
export function rejectedReason(version: string, rejection: Rejection): string {
  const day = rejection.at.slice(0, 10);
  return `Version ${version} was rejected by ${rejection.by} on ${day}; approve it after all or remove it`;
}

/**
 * The record of a plugin whose version in force waits for its first approval, marked rejected (with its reason)
 * when an admin rejected that very version; any other record as it is. A newer version is not covered by the
 * rejection, so it asks again. Pure.
 */
export function withFirstRejection<T extends PluginRecord>(record: T, rejectionOf: RejectionLookup): T {
  if (record.state !== 'pending-approval' || record.reloadError || !record.manifest) return record;
  const rejection = rejectionOf(record.name, record.manifest.version);
  if (!rejection) return record;
  return { ...record, rejected: rejection, reason: rejectedReason(record.manifest.version, rejection) };
}
