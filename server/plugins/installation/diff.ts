import semver from 'semver';
import type { Capability } from '../../../shared/capabilities.ts';
import type { UpdateDiff } from '../../../shared/installation.schema.ts';
import type { PluginManifest } from '../../../shared/plugin-manifest.schema.ts';

export interface InstalledFacts {
  version: string | null;
  capabilities: readonly Capability[];
  /** Of those, the ones approved now (by an admin for this version, or by the server's policy). */
  approved: readonly Capability[];
}

/**
 * What updating from `installed` to `next` changes. A capability the installed version has approved stays
 * approved; every other one the new version declares needs an admin (`needsApproval`). Pure.
 */
export function updateDiff(
  installed: InstalledFacts,
  next: PluginManifest,
  facts: { autoApprove: readonly Capability[]; problems: string[]; warnings: string[] },
): UpdateDiff {
  const before = new Set(installed.capabilities);
  const after = new Set(next.capabilities);
  const approved = new Set([...installed.approved, ...facts.autoApprove]);
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
    needsApproval: next.capabilities.filter((c) => !approved.has(c)),
    change,
    compatible: facts.problems.length === 0,
    problems: facts.problems,
    warnings: facts.warnings,
  };
}
