import semver from 'semver';
import {
  accessDiff,
  accessEntries,
  accessRequestOf,
  type AccessDefaults,
  type AccessEntry,
} from '@dbt-workbench/plugin-sdk/contracts/access-request';
import type { Capability } from '@dbt-workbench/plugin-sdk/contracts/capabilities';
import type { ContributionRef, UpdateDiff } from '../../../shared/installation.schema.ts';
import type { PluginManifest } from '@dbt-workbench/plugin-sdk/contracts/plugin-manifest.schema';
import type { Contribution } from '@dbt-workbench/plugin-sdk/contracts/slots';

/** The running version as an update compares against it (nothing when it vanished from disk). */
export interface InstalledFacts {
  version: string | null;
  capabilities: readonly Capability[];
  /** Its access request, each item marked approved (by an admin for this version, or by the server's policy). */
  access: readonly AccessEntry[];
  contributions: readonly Contribution[];
}

export interface DiffFacts {
  autoApprove: readonly Capability[];
  defaults: AccessDefaults;
  problems: string[];
  warnings: string[];
}

const refOf = (c: Contribution): ContributionRef => ({
  slot: c.slot,
  id: c.id,
  ...(c.title ? { title: c.title } : {}),
});
const contributionKey = (c: Contribution) => `${c.slot}\u0000${c.id}`;

/** Contributions in `after` and not in `before` by slot and id, and the other way round. Pure. */
export function contributionDiff(
  before: readonly Contribution[],
  after: readonly Contribution[],
): { added: ContributionRef[]; removed: ContributionRef[] } {
  const beforeKeys = new Set(before.map(contributionKey));
  const afterKeys = new Set(after.map(contributionKey));
  return {
    added: after.filter((c) => !beforeKeys.has(contributionKey(c))).map(refOf),
    removed: before.filter((c) => !afterKeys.has(contributionKey(c))).map(refOf),
  };
}

/**
 * What updating from `installed` to `next` changes. What the installed version had approved carries over to the
 * items of the new request it covers (an approved limit covers a smaller one, a write grant a read); everything
 * else the new version asks for needs an admin (`access.needsApproval`). Pure.
 */
export function updateDiff(installed: InstalledFacts, next: PluginManifest, facts: DiffFacts): UpdateDiff {
  const wasApproved = installed.access.filter((e) => e.approved).map((e) => e.key);
  const carried = new Set<string>([...facts.autoApprove, ...wasApproved]);
  const request = accessRequestOf(next, facts.defaults);
  const entries = accessEntries(request, carried);
  const changed = accessDiff(
    installed.access.map((e) => e.item),
    request,
  );
  const needsApproval = entries.filter((e) => !e.approved);
  const before = new Set(installed.capabilities);
  const after = new Set(next.capabilities);
  const from = installed.version;
  const change =
    from === null || !semver.valid(from) || semver.gt(next.version, from)
      ? 'upgrade'
      : semver.eq(next.version, from)
        ? 'same'
        : 'downgrade';
  return {
    name: next.name,
    from: { version: from, capabilities: [...installed.capabilities] },
    to: { version: next.version, capabilities: [...next.capabilities] },
    added: next.capabilities.filter((c) => !before.has(c)),
    removed: installed.capabilities.filter((c) => !after.has(c)),
    needsApproval: needsApproval.flatMap((e) => (e.item.kind === 'capability' ? [e.item.capability] : [])),
    access: {
      request: entries,
      added: accessEntries(changed.added, carried),
      removed: accessEntries(changed.removed, new Set(wasApproved)),
      needsApproval,
    },
    contributions: contributionDiff(installed.contributions, next.frontend?.contributions ?? []),
    change,
    compatible: facts.problems.length === 0,
    problems: facts.problems,
    warnings: facts.warnings,
  };
}
