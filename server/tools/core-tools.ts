import type { WorkspaceRole } from '@dbt-workbench/plugin-sdk/contracts/roles';
import { lineageLimits } from '@dbt-workbench/plugin-sdk/contracts/lineage.schema';
import { MAX_ROW_LIMIT, MAX_SQL_LENGTH } from '@dbt-workbench/plugin-sdk/contracts/sql.schema';
import type { ToolEffect } from '@dbt-workbench/plugin-sdk/contracts/tools.schema';
import type { AuditLog } from '../audit/audit-log.ts';
import type { User } from '../auth/users-repository.ts';
import { nodeDetail } from '../catalog/views.ts';
import type { HostServices } from '../features.ts';
import { HttpError } from '../http/errors.ts';
import { SqlQueryError } from '../sql/service.ts';
import type { Workspace } from '../workspaces/config.ts';

/** Everything a core tool may use: the caller's own identity and role, and the app's services. */
export interface CoreToolContext {
  workspace: Workspace;
  user: User;
  role: WorkspaceRole;
  services: HostServices;
  audit: AuditLog;
  sqlTimeoutMs: number;
}

/** A tool the app itself offers, run under the caller's own rights through the same services as its routes. */
export interface CoreTool {
  name: string;
  title: string;
  description: string;
  effect: ToolEffect;
  /** The least workspace role that may use it: the role its HTTP route asks for. */
  minRole: WorkspaceRole;
  parameters: Record<string, unknown>;
  result: Record<string, unknown>;
  run(args: Record<string, unknown>, context: CoreToolContext): Promise<Record<string, unknown>>;
}

const objectRows = { type: 'array', items: { type: 'object' } };

function storeOf(context: CoreToolContext) {
  const store = context.services.catalog.store(context.workspace.name);
  if (!store) throw new HttpError('workspace_not_found', `The catalog of "${context.workspace.name}" is not running`);
  return store;
}

/** The app's own tools, in the order the palette lists them. */
export const coreTools: readonly CoreTool[] = [
  {
    name: 'search_models',
    title: 'Search models',
    description: 'Searches the catalog of the workspace (models, sources, seeds, columns, tags, descriptions).',
    effect: 'read',
    minRole: 'viewer',
    parameters: {
      type: 'object',
      properties: {
        query: { type: 'string', maxLength: 200, description: 'Words to look for, like "orders" or "customer_id"' },
        limit: { type: 'integer', minimum: 1, maximum: 100, default: 20 },
      },
      required: ['query'],
      additionalProperties: false,
    },
    result: { type: 'object', properties: { rows: objectRows, total: { type: 'integer' } }, required: ['rows'] },
    async run(args, context) {
      const { hits, total } = storeOf(context)
        .searchIndex()
        .search(String(args.query), Number(args.limit ?? 20));
      return { rows: hits, total };
    },
  },
  {
    name: 'get_node',
    title: 'Get a node',
    description: 'A model, source, seed or snapshot by its unique id, with its columns and tests.',
    effect: 'read',
    minRole: 'viewer',
    parameters: {
      type: 'object',
      properties: { uniqueId: { type: 'string', minLength: 1, description: 'Like "model.jaffle_shop.orders"' } },
      required: ['uniqueId'],
      additionalProperties: false,
    },
    result: { type: 'object', required: ['uniqueId'] },
    async run(args, context) {
      const store = storeOf(context);
      const index = store.index();
      const uniqueId = String(args.uniqueId);
      const node = index.nodes.get(uniqueId);
      if (!node) throw new HttpError('not_found', `No node "${uniqueId}" in the catalog of ${store.workspace}`);
      return nodeDetail(index, node) as unknown as Record<string, unknown>;
    },
  },
  {
    name: 'lineage',
    title: 'Lineage of a node',
    description: 'The nodes upstream and downstream of a node, and the edges between them.',
    effect: 'read',
    minRole: 'viewer',
    parameters: {
      type: 'object',
      properties: {
        uniqueId: { type: 'string', minLength: 1, description: 'The node to centre on' },
        up: { type: 'integer', minimum: 0, maximum: lineageLimits.maxLevels, default: lineageLimits.defaultLevels },
        down: { type: 'integer', minimum: 0, maximum: lineageLimits.maxLevels, default: lineageLimits.defaultLevels },
      },
      required: ['uniqueId'],
      additionalProperties: false,
    },
    result: { type: 'object', properties: { nodes: objectRows, edges: objectRows }, required: ['nodes', 'edges'] },
    async run(args, context) {
      const graph = await context.services.lineage.graph(context.workspace.name, {
        focus: String(args.uniqueId),
        up: Number(args.up ?? lineageLimits.defaultLevels),
        down: Number(args.down ?? lineageLimits.defaultLevels),
        limit: lineageLimits.maxNodes,
      });
      return { focus: graph.focus, nodes: graph.nodes, edges: graph.edges };
    },
  },
  {
    name: 'list_runs',
    title: 'List runs',
    description: 'The latest dbt runs of the workspace, newest first.',
    effect: 'read',
    minRole: 'viewer',
    parameters: {
      type: 'object',
      properties: { limit: { type: 'integer', minimum: 1, maximum: 200, default: 20 } },
      additionalProperties: false,
    },
    result: { type: 'object', properties: { rows: objectRows }, required: ['rows'] },
    async run(args, context) {
      const runs = await context.services.runs.list(context.workspace.name, { limit: Number(args.limit ?? 20) });
      return { rows: runs };
    },
  },
  {
    name: 'start_run',
    title: 'Start a run',
    description: "Starts the workspace's dbt command, as the Runs page's button does.",
    effect: 'change',
    minRole: 'developer',
    parameters: { type: 'object', properties: {}, additionalProperties: false },
    result: { type: 'object', required: ['id', 'status'] },
    async run(_args, context) {
      const run = await context.services.runs.start(context.workspace, { kind: 'manual', user: context.user });
      await context.audit.record({
        actor: context.user,
        action: 'run.start',
        target: run.id,
        workspace: context.workspace.name,
      });
      return run as unknown as Record<string, unknown>;
    },
  },
  {
    name: 'run_sql',
    title: 'Run read-only SQL',
    description: "Runs one query against the workspace's SQL database (read-only), as the SQL workspace does.",
    effect: 'read',
    minRole: 'developer',
    parameters: {
      type: 'object',
      properties: {
        sql: { type: 'string', minLength: 1, maxLength: MAX_SQL_LENGTH, description: 'Like "select * from orders"' },
        limit: { type: 'integer', minimum: 1, maximum: MAX_ROW_LIMIT, default: 100 },
      },
      required: ['sql'],
      additionalProperties: false,
    },
    result: { type: 'object', properties: { rows: objectRows }, required: ['rows', 'columns'] },
    async run(args, context) {
      try {
        const result = await context.services.sql.query(context.workspace, String(args.sql), {
          limit: Number(args.limit ?? 100),
          timeoutMs: context.sqlTimeoutMs,
        });
        // Rows as objects, so the palette and agents see column names with each value.
        const rows = result.rows.map((row) => Object.fromEntries(result.columns.map((c, i) => [c.name, row[i]])));
        return { columns: result.columns, rows, rowCount: result.rowCount, truncated: result.truncated };
      } catch (error) {
        if (error instanceof SqlQueryError) throw new HttpError(error.kind, error.message);
        throw error;
      }
    },
  },
];
