import type { Feature } from '../context.ts';
import { registerSearchRoutes } from '../search/routes.ts';
import { registerCatalogRoutes } from './routes.ts';
import { createCatalogService, type CatalogService } from './service.ts';

/**
 * The catalog feature: loads and watches every workspace's dbt artifacts and serves models, nodes, status,
 * summary and search. Pass the service other features share; a private one is made when none is given.
 */
export function createCatalogFeature(service: CatalogService = createCatalogService()): Feature {
  return {
    name: 'catalog',
    async start(app, context) {
      await service.start({ workspaces: context.workspaces, logger: context.logger });
      // A workspace added or re-pointed in the app has its artifacts loaded before the admin's request is answered.
      const stopFollowing = context.workspaceDirectory.onChange(async (change) => {
        if (change.kind === 'removed') await service.removeWorkspace(change.workspace.name);
        else if (change.kind === 'added' || change.previous.targetDir !== change.workspace.targetDir)
          await service.addWorkspace(change.workspace);
      });
      registerCatalogRoutes(app, service, context.guards);
      registerSearchRoutes(app, service, context.guards);
      return {
        close: () => {
          stopFollowing();
          return service.close();
        },
      };
    },
  };
}
