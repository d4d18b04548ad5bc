import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import { hostFacts, hostInfo, registerHostInfoRoute } from './host-info.ts';
import { registerErrorHandling } from './http/errors.ts';
import { registerPluginAssetRoutes } from './plugins/assets.ts';
import { createPluginRegistry, type PluginRegistry } from './plugins/registry.ts';
import { registerPluginRoutes } from './plugins/routes.ts';
import type { Settings } from './settings.ts';
import { registerShell } from './shell/static.ts';
import { registerWorkspaceRoutes } from './workspaces/routes.ts';

export interface App {
  server: FastifyInstance;
  plugins: PluginRegistry;
}

/** Builds the whole service from its settings; nothing listens until the caller says so. */
export async function buildApp(settings: Settings, logger: Logger): Promise<App> {
  const server: FastifyInstance = Fastify({ loggerInstance: logger as FastifyBaseLogger });
  registerErrorHandling(server);

  const plugins = createPluginRegistry({
    pluginsDirectory: settings.pluginsDirectory,
    enabled: settings.pluginSystemEnabled,
    host: hostFacts(),
    // Approvals are not stored yet: every declared capability waits for one.
    approvedCapabilities: () => [],
    logger: logger.child({ component: 'plugins' }),
  });
  await plugins.refresh();

  registerHostInfoRoute(server, hostInfo(settings.pluginSystemEnabled));
  registerPluginRoutes(server, plugins);
  registerWorkspaceRoutes(server, plugins);
  if (settings.pluginSystemEnabled) registerPluginAssetRoutes(server, plugins);
  await registerShell(server, settings.shellDistDirectory, logger);
  return { server, plugins };
}
