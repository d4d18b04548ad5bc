import semver from 'semver';
import type { PluginManifest } from '../contracts/plugin-manifest.schema.ts';
import type { ValidationProblem } from '../contracts/validation.ts';

/** The facts about this host that plugin compatibility is judged against. */
export interface HostFacts {
  version: string;
  pluginApiVersions: readonly number[];
  /** Of `pluginApiVersions`, those the next major release drops (`DEPRECATED_PLUGIN_API_VERSIONS`). */
  deprecatedPluginApiVersions?: readonly number[];
}

/** Why a plugin cannot run on this host, or an empty list when it can. Pure: no I/O, no throwing. */
export function hostCompatibilityProblems(manifest: PluginManifest, host: HostFacts): string[] {
  const problems: string[] = [];
  const range = manifest.compatibility.workbench;
  if (!semver.satisfies(host.version, range, { includePrerelease: true })) {
    problems.push(`needs dbt-Workbench ${range}, but this is ${host.version}`);
  }
  const api = manifest.compatibility.pluginApi;
  if (!host.pluginApiVersions.includes(api)) {
    problems.push(`targets plugin API ${api}, but this host supports ${host.pluginApiVersions.join(', ')}`);
  }
  return problems;
}

/**
 * What a plugin that runs on this host should change before the host's next major release, or an empty list: the
 * same findings for `workbench-plugin validate` and the admin's plugin card. Pure.
 */
export function hostCompatibilityWarnings(manifest: PluginManifest, host: HostFacts): ValidationProblem[] {
  const api = manifest.compatibility.pluginApi;
  if (!host.deprecatedPluginApiVersions?.includes(api)) return [];
  const newest = Math.max(...host.pluginApiVersions);
  return [
    {
      field: 'compatibility.pluginApi',
      rule: 'plugin-api-deprecated',
      message:
        `compatibility.pluginApi: targets plugin API ${api}, which the next major release of dbt-Workbench drops; ` +
        `move to plugin API ${newest} (the SDK's deprecated members name their replacements)`,
    },
  ];
}

export interface DependencyNode {
  name: string;
  version: string;
  dependencies: Record<string, string>;
  /** True when the plugin passed every other rule and would activate but for its dependencies. */
  ready: boolean;
  /** Why it is not ready, in a few words (`disabled`, `pending-approval`, ...), for the dependants' reason. */
  state?: string;
}

/**
 * Resolves plugin dependencies: each must be installed, in range, itself resolvable, and free of cycles.
 * Returns the reason each blocked plugin cannot activate; plugins not in the map may activate.
 */
export function dependencyProblems(nodes: readonly DependencyNode[]): Map<string, string> {
  const byName = new Map(nodes.map((n) => [n.name, n]));
  const blocked = new Map<string, string>();
  const resolved = new Set<string>();

  function visit(node: DependencyNode, trail: string[]): string | undefined {
    if (resolved.has(node.name)) return undefined;
    if (blocked.has(node.name)) return blocked.get(node.name);
    if (trail.includes(node.name)) return `dependency cycle: ${[...trail, node.name].join(' -> ')}`;
    let reason: string | undefined;
    for (const [depName, range] of Object.entries(node.dependencies)) {
      const dep = byName.get(depName);
      if (!dep) reason = `needs plugin "${depName}" ${range}, which is not installed`;
      else if (!semver.satisfies(dep.version, range, { includePrerelease: true }))
        reason = `needs plugin "${depName}" ${range}, but ${dep.version} is installed`;
      else if (!dep.ready)
        reason = `needs plugin "${depName}", which ${dep.state ? `is ${dep.state}` : 'cannot be activated'}`;
      else {
        const depReason = visit(dep, [...trail, node.name]);
        if (depReason)
          reason = depReason.startsWith('dependency cycle')
            ? depReason
            : `needs plugin "${depName}", which cannot be activated`;
      }
      if (reason) break;
    }
    if (reason) blocked.set(node.name, reason);
    else resolved.add(node.name);
    return reason;
  }

  for (const node of nodes) if (node.ready) visit(node, []);
  return blocked;
}
