import type { FastifyInstance } from 'fastify';
import type { PluginDetail, PluginSummary } from '../../shared/api.schema.ts';
import type { Guards } from '../auth/guards.ts';
import { contractRoute } from '../http/contract-route.ts';
import { HttpError } from '../http/errors.ts';
import * as api from '../../shared/http/plugins.ts';
import { assetUrl } from './assets.ts';
import type { EnablementRules } from './enablement.ts';
import { pluginMetricsOf } from './metrics/view.ts';
import { pluginBackendsOf } from '../sandbox/feature.ts';
import type { PluginRegistry, RegisteredPlugin } from './registry.ts';

/** A failed reload as the API reports it: the waiting version's review is in its installation's `pending`. */
function reloadErrorOf({ waiting: _, ...error }: NonNullable<RegisteredPlugin['reloadError']>) {
  return error;
}

/**
 * A plugin as the API lists it. Its state is the one admins see (`reportedState`): an active plugin is `loading`
 * while its backend starts and `error` while that backend is down.
 */
export function toSummary(
  p: RegisteredPlugin,
  rules: EnablementRules | undefined,
  registry: PluginRegistry,
): PluginSummary {
  const m = p.manifest;
  const { state, reason } = pluginBackendsOf(registry)?.reported(p) ?? p;
  const backend = p.state === 'active' ? pluginBackendsOf(registry)?.state(p.name) : undefined;
  return {
    name: p.name,
    directory: p.directory,
    state,
    ...(reason ? { reason } : {}),
    ...(m
      ? {
          version: m.version,
          displayName: m.displayName,
          description: m.description,
          author: m.author,
          ...(m.icon && !p.missingStaticFiles.includes(m.icon) ? { iconUrl: assetUrl(p, `static/${m.icon}`) } : {}),
        }
      : {}),
    capabilities: m?.capabilities ?? [],
    approvedCapabilities: p.approvedCapabilities,
    access: p.access,
    configurable: Boolean(m?.configuration),
    hasBackend: Boolean(m?.backend),
    ...(backend?.state === 'idle' ? { backendIdle: backend.idleSince ? { since: backend.idleSince } : {} } : {}),
    uiTrust: p.uiTrust,
    enabledWorkspaces: p.enabledWorkspaces,
    enablement: {
      ...(rules?.global === undefined ? {} : { global: rules.global }),
      workspaces: rules?.workspaces ?? {},
    },
    ...(p.signature?.status === 'verified' ? { signedBy: p.signature.signedBy } : {}),
    problems: p.problems,
    warnings: p.warnings,
    ...(p.rejected ? { rejected: p.rejected } : {}),
    ...(p.reloadError ? { reloadError: reloadErrorOf(p.reloadError) } : {}),
    discoveredAt: p.discoveredAt,
  };
}

export function toDetail(
  p: RegisteredPlugin,
  rules: EnablementRules | undefined,
  registry: PluginRegistry,
): PluginDetail {
  return {
    ...toSummary(p, rules, registry),
    ...(p.manifest ? { manifest: p.manifest, assetsBaseUrl: assetUrl(p, '') } : {}),
  };
}

/** A registered plugin by name, or the API's 404. */
export function requirePlugin(registry: PluginRegistry, name: string): RegisteredPlugin {
  const plugin = registry.get(name);
  if (!plugin) throw new HttpError('plugin_not_found', `No plugin named "${name}" is installed`);
  return plugin;
}

/** The admin plugin API: list and inspect discovered plugins. Instance admins only. */
export function registerPluginRoutes(
  app: FastifyInstance,
  registry: PluginRegistry,
  guards: Guards,
  loadEnablement: () => Promise<Map<string, EnablementRules>>,
): void {
  const admin = { guards: [guards.requireUser, guards.requireInstanceAdmin] };
  contractRoute(app, api.listPlugins, admin, async () => {
    const rules = await loadEnablement();
    const metrics = pluginMetricsOf(registry);
    return {
      plugins: registry.list().map((p) => {
        const health = metrics?.health(p.name);
        return { ...toSummary(p, rules.get(p.name), registry), ...(health ? { health } : {}) };
      }),
    };
  });

  contractRoute(app, api.getPlugin, admin, async (request) => {
    const plugin = requirePlugin(registry, request.params.name);
    return toDetail(plugin, (await loadEnablement()).get(plugin.name), registry);
  });
}
