// The model-health backend: a health check of the caller's workspace, read through the host's typed data API
// (`read-metadata`) and its read-only SQL (`access-sql-workspace`); it never opens an artifact file itself.
//   GET /summary          failing models against the workspace's `maxFailing`, sources, the last runs' statuses
//   GET /models/:uniqueId one model's undocumented columns, failing tests, and neighbours from the lineage
//   GET /seeds            each seed table of the SQL workspace with its row count
import type { BackendHost, BackendRequest } from '@dbt-workbench/plugin-sdk';
import { modelHealth, workspaceHealth } from './health.ts';

/** A SQL identifier in double quotes. */
const quoted = (name: string) => `"${name.replaceAll('"', '""')}"`;

/** The host's refusals and misses become the route's answer: 404 for an unknown node, 502 for the others. */
function failure(error: unknown) {
  const { code, message } = error as { code?: string; message: string };
  return { status: code === 'not_found' ? 404 : 502, body: { error: { code: code ?? 'failed', message } } };
}

export async function activate(host: BackendHost): Promise<void> {
  const workspaceOf = (request: BackendRequest) => request.workspace.name;

  await host.routes.register('GET', '/summary', async (request) => {
    const workspace = workspaceOf(request);
    try {
      const [models, sources, runs, config] = await Promise.all([
        host.data.models(workspace),
        host.data.models(workspace, { resourceType: 'source' }),
        host.data.runs(workspace, { limit: 5 }),
        host.config.get<{ maxFailing: number }>({ workspace }),
      ]);
      const health = workspaceHealth(
        models.items,
        sources.total,
        runs.runs.map((r) => r.status),
        config.maxFailing,
      );
      return { body: { workspace, ...health } };
    } catch (error) {
      return failure(error);
    }
  });

  await host.routes.register('GET', '/models/:uniqueId', async (request) => {
    const workspace = workspaceOf(request);
    try {
      const node = await host.data.node(workspace, request.params.uniqueId!);
      const lineage = await host.data.lineage(workspace, { focus: node.uniqueId, up: 2, down: 2 });
      return {
        body: { ...modelHealth(node), lineage: { nodes: lineage.nodes.length, edges: lineage.edges.length } },
      };
    } catch (error) {
      return failure(error);
    }
  });

  await host.routes.register('GET', '/seeds', async (request) => {
    const workspace = workspaceOf(request);
    try {
      const { tables } = await host.sql.tables(workspace);
      const counts = [];
      for (const table of tables) {
        const result = await host.sql.query(workspace, `SELECT count(*) AS n FROM ${quoted(table.name)}`);
        counts.push({ table: table.name, rows: Number(result.rows[0]?.[0] ?? 0) });
      }
      return { body: { workspace, seeds: counts } };
    } catch (error) {
      return failure(error);
    }
  });
}
