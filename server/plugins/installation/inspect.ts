import type { PluginManifest } from '@dbt-workbench/plugin-sdk/contracts/plugin-manifest.schema';
import { PluginManifest as ManifestSchema } from '@dbt-workbench/plugin-sdk/contracts/plugin-manifest.schema';
import { validate } from '@dbt-workbench/plugin-sdk/contracts/validation';
import type { HostFacts } from '@dbt-workbench/plugin-sdk/node/compatibility';
import { readCandidate } from '@dbt-workbench/plugin-sdk/node/candidate';
import type { DiscoveryLimits } from '@dbt-workbench/plugin-sdk/node/package-bounds';
import { evaluatePlugins, type CapabilityPolicy, type PluginRecord } from '../evaluate.ts';
import type { ProtectedPaths } from '../../sandbox/grant-rules.ts';
import { dependencyWarnings } from './compatibility-facts.ts';
import { PackageError } from './package-files.ts';

/** Of the evaluation's warnings, those an admin sees before installing, after the manifest's own. */
const INSTALL_TIME_RULES = new Set(['file-exists', 'signature', 'plugin-api-deprecated']);

export interface InspectContext {
  host: HostFacts;
  policy: CapabilityPolicy;
  /** The plugins installed now, for dependency checks. */
  installed: readonly PluginRecord[];
  /** Folders no `permissions.fs` grant may reach: a package asking for one is refused. */
  protectedPaths?: ProtectedPaths;
  /** What is read of the package at most, as discovery would (PLUGIN_MAX_MANIFEST_KB and the package limits). */
  limits?: Partial<DiscoveryLimits>;
}

/** A staged package that is a valid plugin. `problems` say why it cannot run here (install refuses those). */
export interface InspectedPackage {
  manifest: PluginManifest;
  problems: string[];
  warnings: string[];
}

/**
 * Validates a staged package with discovery's own rules (`readCandidate` + `evaluatePlugins`): readable and valid
 * manifest, built remote matching it, compatible with this host, its capability policy and its limit ceilings.
 * Throws a PackageError for an invalid package; dependencies not installed yet are warnings, since installing them
 * later fixes that.
 */
export async function inspectPackage(root: string, context: InspectContext): Promise<InspectedPackage> {
  const candidate = await readCandidate(root, context.limits);
  if (!candidate.manifest.ok) throw new PackageError(candidate.manifest.error);
  const full = validate(ManifestSchema, candidate.manifest.json);
  if (!full.ok) {
    const problems = full.problems.map((p) => p.message);
    throw new PackageError(`manifest.json is invalid: ${problems.join('; ')}`, problems);
  }
  const manifest = full.value;
  const { dependencies: _dependencies, ...alone } = candidate.manifest.json as Record<string, unknown>;
  const [record] = evaluatePlugins({
    candidates: [{ ...candidate, folderName: manifest.name, manifest: { ok: true, json: alone } }],
    host: context.host,
    approvedCapabilities: () => [],
    // The server's signing policy too: under `require`, a package it would refuse to load is refused at install.
    policy: { ...context.policy, autoApprove: [] },
    enablement: () => undefined,
    storedConfig: () => undefined,
    workspaces: [],
    defaultEnabled: true,
    protectedPaths: context.protectedPaths,
  });
  if (!record) throw new Error('evaluating one candidate gave no record');
  if (record.state === 'invalid' || record.state === 'error') {
    const problems = record.problems.length > 0 ? record.problems.map((p) => p.message) : [record.reason ?? ''];
    throw new PackageError(`the plugin is invalid: ${record.reason ?? problems.join('; ')}`, problems);
  }
  const problems = record.state === 'incompatible' && record.reason ? [record.reason] : [];
  const warnings = [
    ...full.warnings.map((w) => w.message),
    ...record.warnings.filter((w) => INSTALL_TIME_RULES.has(w.rule)).map((w) => w.message),
    ...dependencyWarnings(manifest, context.installed),
  ];
  return { manifest, problems, warnings };
}
