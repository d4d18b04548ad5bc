import {
  CATALOG_RESOURCE_TYPES,
  type CatalogColumn,
  type CatalogNode,
  type CatalogTest,
  type LastRun,
  type TestStatus,
} from '@dbt-workbench/plugin-sdk/contracts/catalog.schema';
import type { ParsedCatalog, ParsedManifest, ParsedRunResults } from '../artifacts/parse.ts';
import type { CatalogTableEntry, ManifestNode, RunResultEntry } from '../artifacts/schemas.ts';
import { deepFreeze, type ProjectIndex } from './project-index.ts';

/** The artifacts an index is built from; catalog and run results are optional. */
export interface IndexInputs {
  workspace: string;
  manifest: ParsedManifest;
  catalog?: ParsedCatalog | null;
  runResults?: ParsedRunResults | null;
  /** The build time to record; now by default. */
  now?: Date;
}

const catalogTypes: ReadonlySet<string> = new Set(CATALOG_RESOURCE_TYPES);
const testTypes: ReadonlySet<string> = new Set(['test', 'unit_test']);
const EMPTY: readonly string[] = Object.freeze([]);

/** dbt's test result status as one of the catalog's: `runtime error` is `error`, no result is `not-run`. */
export function testStatusOf(status: string | null | undefined): TestStatus {
  switch (status) {
    case 'pass':
    case 'success':
      return 'pass';
    case 'fail':
    case 'warn':
    case 'error':
    case 'skipped':
      return status;
    case 'runtime error':
      return 'error';
    case null:
    case undefined:
      return 'not-run';
    default:
      return 'not-run';
  }
}

/** A run result as the catalog shows it: the `execute` step's times, or the whole span of the steps. */
export function lastRunOf(result: RunResultEntry | undefined): LastRun | null {
  if (!result) return null;
  const execute = result.timing.find((t) => t.name === 'execute');
  const first = result.timing[0];
  const last = result.timing[result.timing.length - 1];
  return {
    status: result.status,
    startedAt: execute?.started_at ?? first?.started_at ?? null,
    completedAt: execute?.completed_at ?? last?.completed_at ?? null,
    executionTime: result.execution_time ?? null,
    message: result.message ?? null,
    failures: result.failures ?? null,
  };
}

function tagsOf(node: ManifestNode): string[] {
  const configTags = node.config?.tags;
  const all = [...(node.tags ?? []), ...(typeof configTags === 'string' ? [configTags] : (configTags ?? []))];
  return [...new Set(all)];
}

function metaOf(node: ManifestNode): Record<string, unknown> {
  const fromConfig = node.config?.meta;
  const own = node.meta;
  if (fromConfig && own && fromConfig !== own && Object.keys(fromConfig).length > 0) return { ...fromConfig, ...own };
  return own ?? fromConfig ?? {};
}

type Owner = { name?: string | null; email?: string | string[] | null } | null | undefined;

function ownerText(owner: unknown): string | null {
  if (typeof owner === 'string') return owner.trim() || null;
  if (Array.isArray(owner)) return owner.map(ownerText).filter(Boolean).join(', ') || null;
  if (owner && typeof owner === 'object') {
    const { name, email } = owner as NonNullable<Owner>;
    if (typeof name === 'string' && name.trim()) return name.trim();
    return ownerText(email);
  }
  return null;
}

function groupOwners(manifest: ParsedManifest): Map<string, string> {
  const owners = new Map<string, string>();
  for (const group of manifest.groups.values()) {
    const text = ownerText(group.owner);
    if (text && !owners.has(group.name)) owners.set(group.name, text);
  }
  return owners;
}

function relationOf(node: ManifestNode, materialization: string | null): string | null {
  if (node.relation_name) return node.relation_name;
  if (materialization === 'ephemeral') return null;
  if (!['model', 'seed', 'snapshot', 'source'].includes(node.resource_type)) return null;
  const parts = [node.database, node.schema, node.alias ?? node.identifier ?? node.name].filter(
    (p): p is string => typeof p === 'string' && p.length > 0,
  );
  return parts.length > 0 ? parts.join('.') : null;
}

function materializationOf(node: ManifestNode): string | null {
  if (node.resource_type === 'seed') return node.config?.materialized ?? 'seed';
  if (['model', 'snapshot'].includes(node.resource_type)) return node.config?.materialized ?? null;
  return null;
}

/** Column names as a warehouse may spell them: `"Customer_ID"` and `customer_id` are the same column. */
function columnKey(name: string): string {
  return name.replace(/^["`[]|["`\]]$/g, '').toLowerCase();
}

function mergeColumns(node: ManifestNode, table: CatalogTableEntry | undefined): CatalogColumn[] {
  const documented = new Map(Object.values(node.columns ?? {}).map((c) => [columnKey(c.name), c]));
  const column = (
    name: string,
    type: string | null,
    index: number | null,
    comment: string | null | undefined,
  ): CatalogColumn => {
    const doc = documented.get(columnKey(name));
    return {
      name: doc?.name ?? name,
      type: type ?? doc?.data_type ?? null,
      description: doc?.description || comment || '',
      tags: doc?.tags ?? [],
      meta: doc?.meta ?? {},
      index,
      tests: [],
      extensions: {},
    };
  };
  if (!table) return [...documented.values()].map((doc) => column(doc.name, null, null, null));
  const inWarehouse = Object.values(table.columns).sort((a, b) => a.index - b.index);
  const seen = new Set(inWarehouse.map((c) => columnKey(c.name)));
  return [
    ...inWarehouse.map((c) => column(c.name, c.type, c.index, c.comment)),
    ...[...documented.values()]
      .filter((d) => !seen.has(columnKey(d.name)))
      .map((d) => column(d.name, null, null, null)),
  ];
}

function toNode(
  node: ManifestNode,
  table: CatalogTableEntry | undefined,
  run: RunResultEntry | undefined,
  owners: Map<string, string>,
): CatalogNode {
  const materialization = materializationOf(node);
  const meta = metaOf(node);
  const group = node.group ?? node.config?.group ?? null;
  const owner = ownerText(meta.owner) ?? (group ? owners.get(group) : undefined) ?? ownerText(node.owner);
  return {
    uniqueId: node.unique_id,
    resourceType: node.resource_type,
    name: node.name,
    packageName: node.package_name,
    path: node.original_file_path ?? null,
    description: node.description ?? '',
    tags: tagsOf(node),
    meta,
    materialization,
    database: node.database ?? table?.metadata.database ?? null,
    schema: node.schema ?? table?.metadata.schema ?? null,
    relation: relationOf(node, materialization),
    owner,
    group,
    access: node.access ?? node.config?.access ?? null,
    version: node.version === null || node.version === undefined ? null : String(node.version),
    language: node.language ?? null,
    sourceName: node.source_name ?? null,
    tableType: table?.metadata.type ?? null,
    columns: mergeColumns(node, table),
    tests: [],
    rawSql: node.raw_code ?? node.raw_sql ?? null,
    compiledSql: node.compiled_code ?? node.compiled_sql ?? null,
    lastRun: lastRunOf(run),
    parents: [],
    children: [],
    extensions: {},
  };
}

function testColumn(test: ManifestNode): string | null {
  if (test.column_name) return test.column_name;
  const fromKwargs = test.test_metadata?.kwargs?.column_name;
  return typeof fromKwargs === 'string' ? fromKwargs : null;
}

/** The nodes a test is about: its `attached_node`, else its catalog dependencies (all of them for singular tests). */
function testTargets(test: ManifestNode, nodes: ReadonlyMap<string, CatalogNode>): string[] {
  if (test.attached_node && nodes.has(test.attached_node)) return [test.attached_node];
  const dependencies = (test.depends_on?.nodes ?? []).filter((id) => nodes.has(id));
  if (test.resource_type === 'unit_test' && dependencies.length === 0 && test.model) {
    const byName = [...nodes.values()].find((n) => n.resourceType === 'model' && n.name === test.model);
    return byName ? [byName.uniqueId] : [];
  }
  // A generic test reads its subject first (relationships also read the referenced model).
  return test.test_metadata ? dependencies.slice(0, 1) : dependencies;
}

function toTest(
  test: ManifestNode,
  nodes: ReadonlyMap<string, CatalogNode>,
  run: RunResultEntry | undefined,
): CatalogTest {
  const lastRun = lastRunOf(run);
  return {
    uniqueId: test.unique_id,
    name: test.name,
    kind: test.resource_type === 'unit_test' ? 'unit' : test.test_metadata ? 'generic' : 'singular',
    testName: test.test_metadata?.name ?? null,
    columnName: testColumn(test),
    severity: test.config?.severity ?? null,
    attachedTo: testTargets(test, nodes),
    status: testStatusOf(lastRun?.status),
    lastRun,
  };
}

function edgeMaps(manifest: ParsedManifest): {
  parentMap: Map<string, readonly string[]>;
  childMap: Map<string, readonly string[]>;
} {
  const parentMap = new Map<string, readonly string[]>();
  if (manifest.parentMap) {
    for (const [id, parents] of Object.entries(manifest.parentMap)) parentMap.set(id, Object.freeze(parents));
  } else {
    for (const node of manifest.nodes) parentMap.set(node.unique_id, Object.freeze(node.depends_on?.nodes ?? []));
  }
  const childMap = new Map<string, readonly string[]>();
  if (manifest.childMap) {
    for (const [id, children] of Object.entries(manifest.childMap)) childMap.set(id, Object.freeze(children));
  } else {
    const inverse = new Map<string, string[]>();
    for (const id of parentMap.keys()) inverse.set(id, []);
    for (const [id, parents] of parentMap) {
      for (const parent of parents) {
        const list = inverse.get(parent);
        if (list) list.push(id);
        else inverse.set(parent, [id]);
      }
    }
    for (const [id, children] of inverse) childMap.set(id, Object.freeze(children));
  }
  return { parentMap, childMap };
}

/**
 * Builds the project index: catalog nodes with merged columns, tests attached to their nodes and columns with
 * their last status, last runs, and parents/children. Pure; the result is deeply frozen.
 */
export function buildProjectIndex(inputs: IndexInputs): ProjectIndex {
  const { manifest } = inputs;
  const tables = inputs.catalog?.tables;
  const results = inputs.runResults?.results;
  const owners = groupOwners(manifest);

  const nodes = new Map<string, CatalogNode>();
  const testEntries: ManifestNode[] = [];
  for (const entry of manifest.nodes) {
    if (catalogTypes.has(entry.resource_type)) {
      nodes.set(entry.unique_id, toNode(entry, tables?.get(entry.unique_id), results?.get(entry.unique_id), owners));
    } else if (testTypes.has(entry.resource_type)) {
      testEntries.push(entry);
    }
  }

  const tests = new Map<string, CatalogTest>();
  for (const entry of testEntries) {
    const test = toTest(entry, nodes, results?.get(entry.unique_id));
    tests.set(test.uniqueId, test);
    for (const target of test.attachedTo) {
      const node = nodes.get(target);
      if (!node) continue;
      node.tests.push(test);
      if (!test.columnName) continue;
      const key = columnKey(test.columnName);
      const column = node.columns.find((c) => columnKey(c.name) === key);
      column?.tests.push({ uniqueId: test.uniqueId, testName: test.testName ?? test.name, status: test.status });
    }
  }

  const { parentMap, childMap } = edgeMaps(manifest);
  for (const node of nodes.values()) {
    node.parents = (parentMap.get(node.uniqueId) ?? EMPTY).filter((id) => nodes.has(id));
    node.children = (childMap.get(node.uniqueId) ?? EMPTY).filter((id) => nodes.has(id));
  }

  const list = [...nodes.values()];
  deepFreeze(list);
  deepFreeze([...tests.values()]);
  const runResults = inputs.runResults;
  return Object.freeze({
    workspace: inputs.workspace,
    builtAt: (inputs.now ?? new Date()).toISOString(),
    projectName: manifest.projectName,
    adapterType: manifest.adapterType,
    nodes,
    list: Object.freeze(list),
    tests,
    parentMap,
    childMap,
    run: runResults
      ? Object.freeze({
          generatedAt: runResults.generatedAt,
          invocationId: runResults.invocationId,
          elapsedSeconds: runResults.elapsedSeconds,
        })
      : null,
  });
}
