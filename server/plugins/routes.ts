import type { FastifyInstance } from 'fastify';
import type { PluginDetail, PluginSummary } from '../../shared/api.schema.ts';
import type { Guards } from '../auth/guards.ts';
import { HttpError } from '../http/errors.ts';
import { assetUrl } from './assets.ts';
import type { PluginRegistry, RegisteredPlugin } from './registry.ts';

export function toSummary(p: RegisteredPlugin): PluginSummary {
  const m = p.manifest;
  return {
    name: p.name,
    directory: p.directory,
    state: p.state,
    ...(p.reason ? { reason: p.reason } : {}),
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
    problems: p.problems,
    warnings: p.warnings,
    discoveredAt: p.discoveredAt,
  };
}

function toDetail(p: RegisteredPlugin): PluginDetail {
  return { ...toSummary(p), ...(p.manifest ? { manifest: p.manifest, assetsBaseUrl: assetUrl(p, '') } : {}) };
}

/** The admin plugin API: list and inspect discovered plugins. Instance admins only. */
export function registerPluginRoutes(app: FastifyInstance, registry: PluginRegistry, guards: Guards): void {
  const admin = { preHandler: [guards.requireUser, guards.requireInstanceAdmin] };
  app.get('/api/plugins', admin, async () => ({ plugins: registry.list().map(toSummary) }));

  app.get<{ Params: { name: string } }>('/api/plugins/:name', admin, async (request) => {
    const plugin = registry.get(request.params.name);
    if (!plugin) throw new HttpError('plugin_not_found', `No plugin named "${request.params.name}" is installed`);
    return toDetail(plugin);
  });
}
