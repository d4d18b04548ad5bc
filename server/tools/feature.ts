import type { Feature } from '../context.ts';
import { createAuditBatch } from './audit-batch.ts';
import type { HostServices } from '../features.ts';
import { registerMcpEndpoint } from '../mcp/endpoint.ts';
import { pluginBackendsOf } from '../sandbox/feature.ts';
import { registerToolRoutes } from './routes.ts';
import { createToolRunner } from './runner.ts';

/**
 * Tools (issue 17): the core tools and plugins' declared tools, for the command palette
 * (`/api/workspaces/:workspace/tools`) and agents (`/mcp/<workspace>`), one runner behind both.
 * Start it after the sandbox feature, whose runtime runs plugins' tool handlers.
 */
export function createToolsFeature(services: HostServices): Feature {
  return {
    name: 'tools',
    async start(app, context) {
      const backends = context.settings.pluginBackends;
      const logger = context.logger.child({ component: 'tools' });
      const audit = createAuditBatch(context.db, logger);
      const runner = createToolRunner({
        plugins: context.plugins,
        runtime: () => pluginBackendsOf(context.plugins)?.runtime(),
        devRuntimeOf: (userId, plugin) => context.devBackends?.runtimeOf(userId, plugin),
        services,
        audit,
        auditLog: context.audit,
        logger,
        sqlTimeoutMs: context.settings.sqlTimeoutMs,
        maxConcurrentCalls: backends.maxConcurrentCalls,
        ratePerSecond: backends.ratePerSecond,
        rateBurst: backends.rateBurst,
      });
      registerToolRoutes(app, { runner, guards: context.guards });
      const mcp = registerMcpEndpoint(app, {
        runner,
        plugins: context.plugins,
        users: context.users,
        workspaces: context.workspaces,
        logger: context.logger.child({ component: 'mcp' }),
      });
      return {
        async close() {
          await mcp.close();
          await audit.flush();
        },
      };
    },
  };
}
