import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import type { Workspace } from '../workspaces/config.ts';

/** The file the demo's run simulator (`demo/bin/dbt-simulate.ts`) writes the models it materialises to. */
export const SIMULATED_DATABASE = 'simulated.duckdb';

/** A relation the manifest knows: a model, seed or snapshot, where dbt builds it. */
export interface ManifestRelation {
  resourceType: string;
  /** The dbt package defining it: the project's own, or an installed package's. */
  packageName: string | null;
  database: string | null;
  schema: string | null;
  name: string;
}

/** What the SQL workspace needs from a project's manifest: its adapter and the relations dbt builds. */
export interface ManifestFacts {
  /** `metadata.adapter_type`: `duckdb`, `snowflake`, ...; null when the manifest does not say. */
  adapter: string | null;
  /** `metadata.project_name`: the root project, whose models come first in lists. */
  projectName: string | null;
  relations: ManifestRelation[];
}

/** Where a workspace's models can be read, or why they cannot. */
export type ModelsLocation =
  | {
      available: true;
      file: string;
      origin: 'dbt-target' | 'simulated';
      /** The name the database is attached under: the dbt database's, so compiled SQL finds its relations. */
      catalog: string;
      /** Changes when the file (or its write-ahead log) changes. */
      signature: string;
      relations: ManifestRelation[];
      projectName: string | null;
    }
  | { available: false; reason: string; relations: ManifestRelation[] };

const BUILT = new Set(['model', 'seed', 'snapshot']);

/** The facts of a parsed manifest document. Pure. */
export function manifestFacts(manifest: unknown): ManifestFacts {
  const document = (manifest ?? {}) as {
    metadata?: { adapter_type?: unknown; project_name?: unknown };
    nodes?: Record<string, Record<string, unknown>>;
  };
  const adapter = typeof document.metadata?.adapter_type === 'string' ? document.metadata.adapter_type : null;
  const projectName = typeof document.metadata?.project_name === 'string' ? document.metadata.project_name : null;
  const relations: ManifestRelation[] = [];
  for (const node of Object.values(document.nodes ?? {})) {
    const config = node.config as { materialized?: string; enabled?: boolean } | undefined;
    if (!BUILT.has(String(node.resource_type)) || config?.materialized === 'ephemeral' || config?.enabled === false)
      continue;
    relations.push({
      resourceType: String(node.resource_type),
      packageName: typeof node.package_name === 'string' ? node.package_name : null,
      database: typeof node.database === 'string' ? node.database : null,
      schema: typeof node.schema === 'string' ? node.schema : null,
      name: String(node.alias ?? node.name),
    });
  }
  return { adapter, projectName, relations };
}

const ADAPTER_NAMES: Record<string, string> = {
  athena: 'Athena',
  bigquery: 'BigQuery',
  clickhouse: 'ClickHouse',
  databricks: 'Databricks',
  duckdb: 'DuckDB',
  fabric: 'Microsoft Fabric',
  postgres: 'PostgreSQL',
  redshift: 'Redshift',
  snowflake: 'Snowflake',
  spark: 'Spark',
  sqlserver: 'SQL Server',
  synapse: 'Azure Synapse',
  trino: 'Trino',
};

/** `snowflake` → `Snowflake`; an adapter we do not know keeps its own name. */
export function adapterName(adapter: string): string {
  return ADAPTER_NAMES[adapter] ?? adapter;
}

/**
 * Why a workspace's models cannot be queried, in words a user can act on. Pure.
 * `duckdbFile` is the database file a DuckDB target would write (for the message), `:memory:` for an in-memory one.
 */
export function modelsUnavailableReason(facts: ManifestFacts | null, duckdbFile?: string): string {
  if (!facts)
    return (
      'This workspace has no dbt manifest (target/manifest.json) yet, so the app cannot tell where its models are. ' +
      'Run dbt (for example dbt build) to create it.'
    );
  if (!facts.adapter)
    return "This workspace's manifest does not name its dbt target, so the app cannot tell where its models are.";
  if (facts.adapter !== 'duckdb')
    return `This workspace's models are not in a database the app can read: its target is ${adapterName(facts.adapter)}.`;
  if (duckdbFile === ':memory:')
    return "This workspace's target is an in-memory DuckDB, which keeps no models once dbt ends.";
  return (
    `This workspace's target is DuckDB, but its database file (${duckdbFile ?? 'a .duckdb file'}) is not in the ` +
    'project folder or its target folder: run dbt build to create it.'
  );
}

/** `path: ...duckdb` entries of the project's own profiles.yml (dbt-duckdb's setting), as written. */
export function duckdbPathsInProfiles(text: string): string[] {
  const paths: string[] = [];
  for (const match of text.matchAll(/^\s*path\s*:\s*['"]?([^'"#\n]+?)['"]?\s*(?:#.*)?$/gm)) {
    const value = match[1]!.trim();
    if (value === ':memory:' || value.toLowerCase().endsWith('.duckdb')) paths.push(value);
  }
  return paths;
}

async function fileSignature(file: string): Promise<string | undefined> {
  const info = await stat(file).catch(() => undefined);
  if (!info?.isFile()) return undefined;
  const wal = await stat(`${file}.wal`).catch(() => undefined);
  return `${file}:${info.size}:${info.mtimeMs}:${wal ? `${wal.size}:${wal.mtimeMs}` : '-'}`;
}

/** The manifest's facts, parsed again only when the file changes. */
export function createManifestReader() {
  const cache = new Map<string, { key: string; facts: ManifestFacts }>();
  return async function read(targetDir: string): Promise<ManifestFacts | null> {
    const file = path.join(targetDir, 'manifest.json');
    const info = await stat(file).catch(() => undefined);
    if (!info?.isFile()) return null;
    const key = `${info.size}:${info.mtimeMs}`;
    const known = cache.get(file);
    if (known?.key === key) return known.facts;
    let facts: ManifestFacts;
    try {
      facts = manifestFacts(JSON.parse(await readFile(file, 'utf8')));
    } catch {
      return null; // Half-written or broken: the catalog reports it; here it only means "no manifest".
    }
    cache.set(file, { key, facts });
    return facts;
  };
}

/**
 * Finds the database holding the workspace's models: for a DuckDB target, the file its profiles.yml names or
 * `<database>.duckdb` in the project or target folder (dbt-duckdb names the database after the file); else the
 * simulator's `target/simulated.duckdb`; else says why there is none.
 */
export async function locateModels(workspace: Workspace, facts: ManifestFacts | null): Promise<ModelsLocation> {
  const relations = facts?.relations ?? [];
  let duckdbFile: string | undefined;
  if (facts?.adapter === 'duckdb') {
    const database = relations.find((r) => r.resourceType === 'model' && r.database)?.database ?? undefined;
    const profiles = await readFile(path.join(workspace.projectDir, 'profiles.yml'), 'utf8').catch(() => '');
    const named = duckdbPathsInProfiles(profiles);
    const candidates = [
      ...named.filter((p) => p !== ':memory:').map((p) => path.resolve(workspace.projectDir, p)),
      ...(database
        ? [path.join(workspace.projectDir, `${database}.duckdb`), path.join(workspace.targetDir, `${database}.duckdb`)]
        : []),
    ].filter((file) => !database || path.basename(file, '.duckdb') === database);
    for (const file of candidates) {
      const signature = await fileSignature(file);
      if (signature)
        return {
          available: true,
          file,
          origin: 'dbt-target',
          catalog: database ?? path.basename(file, '.duckdb'),
          signature,
          relations,
          projectName: facts.projectName,
        };
    }
    duckdbFile = named.includes(':memory:') && candidates.length === 0 ? ':memory:' : database && `${database}.duckdb`;
  }
  const simulated = path.join(workspace.targetDir, SIMULATED_DATABASE);
  const signature = await fileSignature(simulated);
  if (signature)
    return {
      available: true,
      file: simulated,
      origin: 'simulated',
      catalog: 'simulated',
      signature,
      relations,
      projectName: facts?.projectName ?? null,
    };
  return { available: false, reason: modelsUnavailableReason(facts, duckdbFile), relations };
}
