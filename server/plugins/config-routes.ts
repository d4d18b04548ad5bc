import type { FastifyInstance } from 'fastify';
import { createAuditLog } from '../audit/audit-log.ts';
import type { Database } from '../db/database.ts';
import { currentUser, type Guards } from '../auth/guards.ts';
import * as api from '../../shared/http/plugin-config.ts';
import { contractRoute } from '../http/contract-route.ts';
import { HttpError } from '../http/errors.ts';
import { resolveConfig } from '@dbt-workbench/plugin-sdk/node/configuration';
import { createConfigStore, type ConfigStore } from './config-store.ts';
import type { PluginRegistry } from './registry.ts';
import { requirePlugin } from './routes.ts';

export interface ConfigRouteDeps {
  registry: PluginRegistry;
  guards: Guards;
  configs: ConfigStore;
  db: Database;
}

/**
 * `GET|PUT /api/plugins/:name/config`: a plugin's configuration, validated against its manifest's JSON
 * Schema. A saved change reaches open shells and running backends at once, without a restart.
 */
export function registerConfigRoutes(app: FastifyInstance, deps: ConfigRouteDeps): void {
  const { registry, guards, configs, db } = deps;
  const admin = { guards: [guards.requireUser, guards.requireInstanceAdmin] };

  function manifestOf(name: string) {
    const plugin = requirePlugin(registry, name);
    if (!plugin.manifest)
      throw new HttpError('conflict', `Plugin "${name}" has no valid manifest: ${plugin.reason ?? ''}`);
    return plugin.manifest;
  }

  contractRoute(app, api.getPluginConfig, admin, async (request) => {
    const manifest = manifestOf(request.params.name);
    const stored = (await configs.load()).get(manifest.name);
    const resolved = resolveConfig(manifest, stored);
    return {
      schema: manifest.configuration?.schema ?? null,
      default: manifest.configuration?.default ?? null,
      stored: stored ?? null,
      value: resolved.ok ? resolved.value : null,
      problems: resolved.ok ? [] : resolved.problems,
    };
  });

  contractRoute(app, api.setPluginConfig, admin, async (request) => {
    const manifest = manifestOf(request.params.name);
    if (!manifest.configuration) throw new HttpError('bad_request', `Plugin "${manifest.name}" has no configuration`);
    const { config } = request.body;
    const resolved = resolveConfig(manifest, config);
    if (!resolved.ok) {
      throw new HttpError(
        'bad_request',
        `The configuration does not fit the plugin's schema: ${resolved.problems.map((p) => p.message).join('; ')}`,
        resolved.problems,
      );
    }
    const user = currentUser(request);
    // The change and its audit entry commit together.
    await db.transaction(async (tx) => {
      await createConfigStore(tx).set(manifest.name, config, user.id);
      await createAuditLog(tx).record({
        actor: user,
        action: 'plugin.configure',
        target: manifest.name,
        details: { config },
      });
    });
    await registry.refresh();
    return {
      schema: manifest.configuration.schema,
      default: manifest.configuration.default ?? null,
      stored: config,
      value: resolved.value,
      problems: [],
    };
  });
}
