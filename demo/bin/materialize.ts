// The simulator's warehouse: builds a project's seeds, models and snapshots into target/simulated.duckdb from the
// SQL its manifest holds, so the demo's SQL workspace can query them (server/sql/models-source.ts reads that file).
// A node that cannot be built (SQL in another warehouse's dialect, Jinja only dbt can render, a missing parent)
// is reported and left out; it never fails the run.
import { existsSync, renameSync, rmSync } from 'node:fs';
import path from 'node:path';
import { SIMULATED_DATABASE } from '../../server/sql/models-source.ts';

/** The manifest fields materialising needs. */
export interface BuildableNode {
  unique_id: string;
  name: string;
  resource_type: string;
  package_name?: string;
  schema?: string;
  alias?: string | null;
  identifier?: string;
  source_name?: string;
  relation_name?: string | null;
  original_file_path?: string;
  compiled_code?: string | null;
  raw_code?: string | null;
}

const quote = (name: string) => `"${name.replaceAll('"', '""')}"`;

/** Where a node lives in the simulated database: `"schema"."name"` (no catalog: whatever name it is attached as). */
export function localName(node: BuildableNode): string {
  return `${quote(node.schema || 'main')}.${quote(node.identifier ?? node.alias ?? node.name)}`;
}

/**
 * The SQL that builds `node` in DuckDB, from its compiled code (relation names as the manifest's warehouse wrote
 * them replaced by local ones) or else its raw code with `ref()` and `source()` resolved; or why there is none.
 * Pure.
 */
export function buildSql(
  node: BuildableNode,
  relations: ReadonlyMap<string, string>,
  byName: ReadonlyMap<string, BuildableNode>,
): { sql: string } | { problem: string } {
  let sql: string;
  if (node.compiled_code) {
    sql = node.compiled_code;
    // Longest first, so a relation name that contains another is replaced whole.
    for (const [relation, local] of [...relations].sort((a, b) => b[0].length - a[0].length))
      sql = sql.split(relation).join(local);
  } else if (node.raw_code) {
    const unresolved: string[] = [];
    const resolve = (key: string) => {
      const target = byName.get(key);
      if (!target) unresolved.push(key);
      return target ? localName(target) : key;
    };
    sql = node.raw_code
      .replace(/\{#[\s\S]*?#\}/g, '')
      .replace(/\{\{\s*config\([\s\S]*?\)\s*\}\}/g, '')
      .replace(/\{\{\s*ref\(\s*(?:['"][^'"]+['"]\s*,\s*)?['"]([^'"]+)['"]\s*\)\s*\}\}/g, (_, name: string) =>
        resolve(name),
      )
      .replace(
        /\{\{\s*source\(\s*['"]([^'"]+)['"]\s*,\s*['"]([^'"]+)['"]\s*\)\s*\}\}/g,
        (_, source: string, table: string) => resolve(`${source}.${table}`),
      );
    if (unresolved.length > 0)
      return { problem: `it refers to ${unresolved.join(', ')}, which the manifest does not have` };
    if (/\{\{|\{%/.test(sql))
      return { problem: 'its SQL uses Jinja beyond ref() and source(), which only dbt can compile' };
  } else return { problem: 'the manifest has no SQL for it (compile the project with dbt to add it)' };
  return { sql: sql.trim().replace(/;+$/, '') };
}

/** What materialising built and what it could not. */
export interface MaterializeReport {
  file: string;
  built: string[];
  problems: { uniqueId: string; message: string }[];
}

/**
 * Opens a fresh simulated database beside the manifest. `build` materialises one node (call it in dependency
 * order); `finish` writes the file atomically over the previous one. Undefined when the manifest has no model SQL
 * at all: there is nothing to query, and DuckDB is not even loaded.
 */
export async function openWarehouse(
  projectDir: string,
  nodes: readonly BuildableNode[],
  sources: readonly BuildableNode[],
): Promise<{ build(node: BuildableNode): Promise<void>; finish(): Promise<MaterializeReport> } | undefined> {
  if (!nodes.some((n) => n.resource_type === 'model' && (n.compiled_code || n.raw_code))) return undefined;
  const { DuckDBInstance } = await import('@duckdb/node-api');
  const target = path.join(projectDir, 'target', SIMULATED_DATABASE);
  const temp = `${target}.${process.pid}.tmp`;
  rmSync(temp, { force: true });
  const instance = await DuckDBInstance.create(temp);
  const connection = await instance.connect();

  const relations = new Map<string, string>();
  const byName = new Map<string, BuildableNode>();
  for (const node of [...nodes, ...sources]) {
    if (node.relation_name) relations.set(node.relation_name, localName(node));
    byName.set(node.resource_type === 'source' ? `${node.source_name}.${node.name}` : node.name, node);
  }
  const schemas = new Set<string>();
  const report: MaterializeReport = { file: path.relative(projectDir, target), built: [], problems: [] };

  return {
    async build(node) {
      try {
        const schema = node.schema || 'main';
        if (!schemas.has(schema)) await connection.run(`CREATE SCHEMA IF NOT EXISTS ${quote(schema)}`);
        schemas.add(schema);
        let select: string;
        if (node.resource_type === 'seed') {
          const csv = path.resolve(projectDir, node.original_file_path ?? `seeds/${node.name}.csv`);
          if (!existsSync(csv)) throw new Error(`its file ${node.original_file_path} is not in the project`);
          select = `SELECT * FROM read_csv_auto('${csv.replaceAll("'", "''")}')`;
        } else {
          const built = buildSql(node, relations, byName);
          if ('problem' in built) throw new Error(built.problem);
          select = built.sql;
        }
        // Tables, also for views: the file is read under another catalog name, where a view's names could break.
        await connection.run(`CREATE OR REPLACE TABLE ${localName(node)} AS ${select}`);
        report.built.push(node.unique_id);
      } catch (error) {
        report.problems.push({ uniqueId: node.unique_id, message: (error as Error).message.split('\n')[0]! });
      }
    },
    async finish() {
      await connection.run('CHECKPOINT');
      connection.disconnectSync();
      instance.closeSync();
      rmSync(`${target}.wal`, { force: true });
      renameSync(temp, target);
      return report;
    },
  };
}
