import { ceilingProblems } from '@dbt-workbench/plugin-sdk/contracts/access-request';
import type { PluginManifest } from '@dbt-workbench/plugin-sdk/contracts/plugin-manifest.schema';
import {
  dependencyProblems,
  hostCompatibilityProblems,
  type HostFacts,
} from '@dbt-workbench/plugin-sdk/node/compatibility';
import type { CapabilityPolicy, PluginRecord } from '../evaluate.ts';

/** Why a manifest can never run here (app version, plugin API, forbidden capabilities, limit ceilings). Pure. */
export function compatibilityProblems(manifest: PluginManifest, host: HostFacts, policy: CapabilityPolicy): string[] {
  const forbidden = manifest.capabilities.filter((c) => policy.forbidden.includes(c));
  return [
    ...hostCompatibilityProblems(manifest, host),
    ...(forbidden.length > 0
      ? [`this server's policy forbids the capabilities ${forbidden.join(', ')} (PLUGIN_FORBIDDEN_CAPABILITIES)`]
      : []),
    ...ceilingProblems(manifest, policy.limits.ceilings),
  ];
}

/**
 * Why a manifest's dependencies would keep it inactive next to the plugins installed now (missing, out of range,
 * inactive, cyclic); empty when they are met. Installing is still allowed: the dependency can come next. Pure.
 */
export function dependencyWarnings(manifest: PluginManifest, installed: readonly PluginRecord[]): string[] {
  if (Object.keys(manifest.dependencies ?? {}).length === 0) return [];
  const nodes = [
    ...installed.flatMap((p) =>
      p.manifest && p.name !== manifest.name
        ? [
            {
              name: p.name,
              version: p.manifest.version,
              dependencies: p.manifest.dependencies ?? {},
              ready: p.state === 'active',
            },
          ]
        : [],
    ),
    { name: manifest.name, version: manifest.version, dependencies: manifest.dependencies ?? {}, ready: true },
  ];
  const problem = dependencyProblems(nodes).get(manifest.name);
  return problem ? [`it stays inactive until its dependencies are met: ${problem}`] : [];
}
