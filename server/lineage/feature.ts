import type { Feature } from '../context.ts';
import { registerLineageRoutes } from './routes.ts';
import type { LineageService } from './service.ts';

/**
 * The lineage graph of every workspace (`GET /api/workspaces/:workspace/lineage`). The service is made by the
 * caller (server/features.ts) so the plugin runtime can register `lineageBuild` overlays on the same one.
 */
export function createLineageFeature(lineage: LineageService): Feature {
  return {
    name: 'lineage',
    async start(app, context) {
      registerLineageRoutes(app, lineage, context.guards);
    },
  };
}
