import type { Feature } from '../context.ts';
import { registerSqlRoutes } from './routes.ts';
import { createSavedQueries } from './saved-queries.ts';
import type { SqlService } from './service.ts';

/**
 * The SQL workspace: queries over each workspace's seeds in DuckDB, and per-user saved queries.
 * The service is made by the caller (server/features.ts) so other features can share it; closing the
 * feature closes its databases.
 */
export function createSqlFeature(sql: SqlService): Feature {
  return {
    name: 'sql',
    async start(app, context) {
      registerSqlRoutes(app, {
        sql,
        saved: createSavedQueries(context.db),
        guards: context.guards,
        timeoutMs: context.settings.sqlTimeoutMs,
      });
      return { close: () => sql.close() };
    },
  };
}
