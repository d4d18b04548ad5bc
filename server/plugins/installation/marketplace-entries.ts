import semver from 'semver';
import { accessEntries, accessRequestOf } from '@dbt-workbench/plugin-sdk/contracts/access-request';
import type { MarketplaceEntry, MarketplaceVersion } from '../../../shared/installation.schema.ts';
import { hostCompatibilityWarnings, type HostFacts } from '@dbt-workbench/plugin-sdk/node/compatibility';
import type { CapabilityPolicy, PluginRecord } from '../evaluate.ts';
import type { CatalogPackage } from './catalog.ts';
import { compatibilityProblems, dependencyWarnings } from './compatibility-facts.ts';

export interface EntryContext {
  host: HostFacts;
  policy: CapabilityPolicy;
  installed: readonly PluginRecord[];
  /** Pending update versions by plugin name. */
  pending: ReadonlyMap<string, string>;
}

/** Where the server serves a file of a catalog package's `static/` folder. */
export function packageAssetUrl(name: string, version: string, file: string): string {
  const path = file.split('/').map(encodeURIComponent).join('/');
  return `/api/marketplace/packages/${encodeURIComponent(name)}/${encodeURIComponent(version)}/static/${path}`;
}

/**
 * Groups catalog packages by plugin: each entry shows its newest compatible version (the newest at all when none
 * is compatible), every version with its compatibility, and what is installed here. Pure.
 */
export function marketplaceEntries(packages: readonly CatalogPackage[], context: EntryContext): MarketplaceEntry[] {
  const byName = Map.groupBy(packages, (p) => p.manifest.name);
  const entries: MarketplaceEntry[] = [];
  for (const [name, list] of byName) {
    const sorted = [...list].sort((a, b) => semver.rcompare(a.manifest.version, b.manifest.version));
    const versions: MarketplaceVersion[] = sorted.map((p) => {
      const problems = compatibilityProblems(p.manifest, context.host, context.policy);
      return {
        version: p.manifest.version,
        capabilities: p.manifest.capabilities,
        access: accessEntries(
          accessRequestOf(p.manifest, context.policy.limits.defaults),
          new Set(context.policy.autoApprove),
        ),
        compatible: problems.length === 0,
        problems,
        warnings: [
          ...hostCompatibilityWarnings(p.manifest, context.host).map((w) => w.message),
          ...dependencyWarnings(p.manifest, context.installed),
        ],
      };
    });
    const shownIndex = Math.max(
      0,
      versions.findIndex((v) => v.compatible),
    );
    const shown = sorted[shownIndex]!.manifest;
    const facts = versions[shownIndex]!;
    const plugin = context.installed.find((p) => p.name === name);
    const installedVersion = plugin?.manifest?.version ?? null;
    entries.push({
      name,
      version: shown.version,
      displayName: shown.displayName,
      description: shown.description,
      author: shown.author,
      ...(shown.license ? { license: shown.license } : {}),
      ...(shown.homepage ? { homepage: shown.homepage } : {}),
      categories: shown.categories ?? [],
      keywords: shown.keywords ?? [],
      capabilities: shown.capabilities,
      compatible: facts.compatible,
      problems: facts.problems,
      warnings: facts.warnings,
      ...(shown.icon ? { iconUrl: packageAssetUrl(name, shown.version, shown.icon) } : {}),
      screenshotUrls: (shown.screenshots ?? []).map((file) => packageAssetUrl(name, shown.version, file)),
      versions,
      ...(plugin ? { installed: { version: installedVersion, state: plugin.state } } : {}),
      ...(context.pending.has(name) ? { pendingVersion: context.pending.get(name)! } : {}),
      updateAvailable:
        installedVersion !== null &&
        semver.valid(installedVersion) !== null &&
        versions.some((v) => v.compatible && semver.gt(v.version, installedVersion)),
    });
  }
  return entries.sort((a, b) => a.displayName.localeCompare(b.displayName));
}
