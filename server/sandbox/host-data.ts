import type { ModelList, NodeDetail } from '@dbt-workbench/plugin-sdk/contracts/catalog.schema';
import { LineageQuery, type LineageGraph } from '@dbt-workbench/plugin-sdk/contracts/lineage.schema';
import { RunListQuery, type Run, type RunList } from '@dbt-workbench/plugin-sdk/contracts/runs.schema';
import { DEFAULT_ROW_LIMIT, type SqlQueryResult, type SqlTables } from '@dbt-workbench/plugin-sdk/contracts/sql.schema';
import type { DataCall } from '@dbt-workbench/plugin-sdk/contracts/sandbox.schema';
import type { CatalogService } from '../catalog/service.ts';
import { listNodes, nodeDetail, parseResourceTypes } from '../catalog/views.ts';
import { HttpError } from '../http/errors.ts';
import type { LineageService } from '../lineage/service.ts';
import type { PluginRecord } from '../plugins/evaluate.ts';
import type { RunService } from '../runs/service.ts';
import { SqlQueryError, type SqlService } from '../sql/service.ts';
import type { Workspace } from '../workspaces/config.ts';
import { CallFailure } from './failures.ts';

/** The services the data calls read; each is optional, as in `HostSeams` (a test app may run without some). */
export interface HostDataServices {
  catalog?: Pick<CatalogService, 'store'>;
  lineage?: Pick<LineageService, 'graph'>;
  runs?: Pick<RunService, 'list' | 'get'>;
  sql?: Pick<SqlService, 'query' | 'tables'>;
}

export interface HostDataDeps {
  services: HostDataServices;
  workspaces: readonly Workspace[];
  plugin(name: string): PluginRecord | undefined;
  /** The server's call deadline (PLUGIN_BACKEND_TIMEOUT_MS), used when the manifest names none. */
  defaultTimeoutMs: number;
}

/** What one data call answers: the same bodies as the HTTP API's. */
export type HostDataAnswer = ModelList | NodeDetail | LineageGraph | RunList | Run | SqlQueryResult | SqlTables;

/**
 * Answers a backend's typed data calls (`host.data.*`, `host.sql.*`) from the app's own services, never from the
 * artifact files. The capability was checked before; this checks the workspace: a plugin gets nothing from a
 * workspace it is not enabled in (a `rejected` CallFailure the host API records). SQL runs in the workspace's
 * read-only DuckDB within the plugin's call deadline (`backend.limits.timeoutMs`).
 */
export function createHostData(deps: HostDataDeps): (plugin: string, call: DataCall) => Promise<HostDataAnswer> {
  const { services } = deps;
  const missing = (what: string): never => {
    throw new CallFailure('unavailable', `${what} is not running on this server`);
  };

  return async (plugin, call) => {
    const record = deps.plugin(plugin);
    const workspace = deps.workspaces.find((w) => w.name === call.workspace);
    if (!workspace || !record || record.state !== 'active' || !record.enabledWorkspaces.includes(workspace.name)) {
      throw new CallFailure(
        'rejected',
        `${plugin} may not read workspace "${call.workspace}": the plugin is not enabled there`,
      );
    }
    switch (call.fn) {
      case 'data.models': {
        const store = services.catalog?.store(workspace.name) ?? missing('The catalog');
        const query = call.query ?? {};
        const { types, unknown } = parseResourceTypes(query.resourceType);
        if (unknown.length > 0) throw new HttpError('bad_request', `resourceType: ${unknown.join(', ')} is not listed`);
        return listNodes(store.index(), query, types);
      }
      case 'data.node': {
        const store = services.catalog?.store(workspace.name) ?? missing('The catalog');
        const index = store.index();
        const node = index.nodes.get(call.uniqueId);
        if (!node) throw new HttpError('not_found', `No node "${call.uniqueId}" in the catalog of ${workspace.name}`);
        return nodeDetail(index, node);
      }
      case 'data.lineage': {
        const lineage = services.lineage ?? missing('The lineage');
        return lineage.graph(workspace.name, LineageQuery.parse(call.query ?? {}), { overlays: false });
      }
      case 'data.runs': {
        const runs = services.runs ?? missing('The runs service');
        const query = RunListQuery.parse(call.query ?? {});
        const page = await runs.list(workspace.name, query);
        return { runs: page, nextBefore: page.length === query.limit ? (page.at(-1)?.id ?? null) : null };
      }
      case 'data.run': {
        const runs = services.runs ?? missing('The runs service');
        const run = await runs.get(workspace.name, call.id);
        if (!run) throw new HttpError('not_found', `No run ${call.id} in workspace ${workspace.name}`);
        return run;
      }
      case 'sql.query': {
        const sql = services.sql ?? missing('The SQL workspace');
        const timeoutMs = record.manifest?.backend?.limits?.timeoutMs ?? deps.defaultTimeoutMs;
        try {
          return await sql.query(workspace, call.sql, { limit: call.limit ?? DEFAULT_ROW_LIMIT, timeoutMs });
        } catch (error) {
          if (error instanceof SqlQueryError) throw new HttpError(error.kind, error.message);
          throw error;
        }
      }
      case 'sql.tables':
        return (services.sql ?? missing('The SQL workspace')).tables(workspace);
    }
  };
}
