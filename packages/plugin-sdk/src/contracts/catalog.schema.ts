import { z } from 'zod';
import { ValidationProblem } from './validation.ts';

// HTTP bodies of the catalog feature: artifacts, models and sources, catalog search.
// Everything here is served under `/api/workspaces/:workspace/...` to any member of the workspace.

/** Resource types the catalog lists as nodes. Tests and unit tests are attached to these instead. */
export const CATALOG_RESOURCE_TYPES = [
  'model',
  'seed',
  'snapshot',
  'source',
  'exposure',
  'analysis',
  'metric',
  'semantic_model',
  'saved_query',
  'function',
] as const;
export type CatalogResourceType = (typeof CATALOG_RESOURCE_TYPES)[number];

/** The artifact files a workspace's `target/` folder is read from. */
export const ArtifactFile = z.enum(['manifest.json', 'catalog.json', 'run_results.json']);
export type ArtifactFile = z.infer<typeof ArtifactFile>;

/** Data a plugin added to a node or column on artifact load, keyed by the plugin (or `core`) that added it. */
export const Extensions = z.record(z.string(), z.record(z.string(), z.unknown()));
export type Extensions = z.infer<typeof Extensions>;

/** The last result of a node or test in `run_results.json`. `status` is dbt's: success, error, pass, fail, ... */
export const LastRun = z.object({
  status: z.string(),
  startedAt: z.string().nullable(),
  completedAt: z.string().nullable(),
  /** Seconds. */
  executionTime: z.number().nullable(),
  message: z.string().nullable(),
  failures: z.number().nullable(),
});
export type LastRun = z.infer<typeof LastRun>;

/** A test's last outcome, normalised: dbt's `runtime error` is `error`; no result is `not-run`. */
export const TestStatus = z.enum(['pass', 'fail', 'warn', 'error', 'skipped', 'not-run']);
export type TestStatus = z.infer<typeof TestStatus>;

/** How many tests ended in each status. */
export const TestCounts = z.object({
  total: z.number().int(),
  pass: z.number().int(),
  fail: z.number().int(),
  warn: z.number().int(),
  error: z.number().int(),
  skipped: z.number().int(),
  notRun: z.number().int(),
});
export type TestCounts = z.infer<typeof TestCounts>;

/** A data test (generic or singular) or unit test, attached to the nodes (and column) it tests. */
export const CatalogTest = z.object({
  uniqueId: z.string(),
  name: z.string(),
  kind: z.enum(['generic', 'singular', 'unit']),
  /** The generic test's name (`unique`, `not_null`, `relationships`, ...), null for singular tests. */
  testName: z.string().nullable(),
  columnName: z.string().nullable(),
  severity: z.string().nullable(),
  /** The nodes this test is about: the one it is attached to, or every node a singular test reads. */
  attachedTo: z.array(z.string()),
  status: TestStatus,
  lastRun: LastRun.nullable(),
});
export type CatalogTest = z.infer<typeof CatalogTest>;

/** A column test as a badge: which test and how it last ended. */
export const ColumnTestRef = z.object({
  uniqueId: z.string(),
  testName: z.string(),
  status: TestStatus,
});
export type ColumnTestRef = z.infer<typeof ColumnTestRef>;

/** A column: the manifest's documentation merged with the warehouse type from `catalog.json`. */
export const CatalogColumn = z.object({
  name: z.string(),
  /** From catalog.json, else the manifest's declared `data_type`, else null. */
  type: z.string().nullable(),
  description: z.string(),
  tags: z.array(z.string()),
  meta: z.record(z.string(), z.unknown()),
  /** Position in the warehouse (catalog.json), null for documented columns the warehouse lacks. */
  index: z.number().nullable(),
  tests: z.array(ColumnTestRef),
  extensions: Extensions,
});
export type CatalogColumn = z.infer<typeof CatalogColumn>;

/** Everything the catalog knows about one node. */
export const CatalogNode = z.object({
  uniqueId: z.string(),
  resourceType: z.string(),
  name: z.string(),
  packageName: z.string(),
  /** `original_file_path`: where the node is defined, relative to the project. */
  path: z.string().nullable(),
  description: z.string(),
  tags: z.array(z.string()),
  meta: z.record(z.string(), z.unknown()),
  materialization: z.string().nullable(),
  database: z.string().nullable(),
  schema: z.string().nullable(),
  /** The relation as the warehouse names it, e.g. `"analytics"."staging"."stg_orders"`. */
  relation: z.string().nullable(),
  /** From `meta.owner`, the node's group owner, or an exposure's owner. */
  owner: z.string().nullable(),
  group: z.string().nullable(),
  access: z.string().nullable(),
  version: z.string().nullable(),
  language: z.string().nullable(),
  /** Sources only: the source's name (`ecom` in `source('ecom', 'raw_orders')`). */
  sourceName: z.string().nullable(),
  /** Warehouse object type from catalog.json: `table`, `view`, `BASE TABLE`, ... */
  tableType: z.string().nullable(),
  columns: z.array(CatalogColumn),
  tests: z.array(CatalogTest),
  rawSql: z.string().nullable(),
  compiledSql: z.string().nullable(),
  lastRun: LastRun.nullable(),
  /** Unique ids of the nodes this one reads from, and of those reading from it (tests excluded). */
  parents: z.array(z.string()),
  children: z.array(z.string()),
  extensions: Extensions,
});
export type CatalogNode = z.infer<typeof CatalogNode>;

/** A neighbour in upstream/downstream lists. */
export const NodeRef = z.object({
  uniqueId: z.string(),
  resourceType: z.string(),
  name: z.string(),
  lastRunStatus: z.string().nullable(),
});
export type NodeRef = z.infer<typeof NodeRef>;

/** `GET nodes/:uniqueId`: a node with its direct neighbours summarised. */
export const NodeDetail = CatalogNode.extend({
  upstream: z.array(NodeRef),
  downstream: z.array(NodeRef),
});
export type NodeDetail = z.infer<typeof NodeDetail>;

/** One row of the models list. */
export const NodeSummary = z.object({
  uniqueId: z.string(),
  resourceType: z.string(),
  name: z.string(),
  packageName: z.string(),
  description: z.string(),
  path: z.string().nullable(),
  tags: z.array(z.string()),
  materialization: z.string().nullable(),
  database: z.string().nullable(),
  schema: z.string().nullable(),
  relation: z.string().nullable(),
  owner: z.string().nullable(),
  access: z.string().nullable(),
  version: z.string().nullable(),
  columnCount: z.number().int(),
  tests: TestCounts,
  lastRun: LastRun.nullable(),
});
export type NodeSummary = z.infer<typeof NodeSummary>;

/** Query of `GET models`. Lists models unless `resourceType` names others (comma separated). */
export const ModelListQuery = z.object({
  q: z.string().trim().max(200).optional(),
  tag: z.string().trim().max(200).optional(),
  materialization: z.string().trim().max(100).optional(),
  /** A last run status (`success`, `error`, `skipped`, ...) or `not-run`. */
  status: z.string().trim().max(50).optional(),
  resourceType: z.string().trim().max(200).optional(),
});
export type ModelListQuery = z.infer<typeof ModelListQuery>;

/** `GET models`: the matching rows, and the values the filters can take across the listed resource types. */
export const ModelList = z.object({
  items: z.array(NodeSummary),
  total: z.number().int(),
  facets: z.object({
    tags: z.array(z.string()),
    materializations: z.array(z.string()),
    statuses: z.array(z.string()),
  }),
});
export type ModelList = z.infer<typeof ModelList>;

/** Something wrong with an artifact file; the last good load stays served meanwhile. */
export const ArtifactError = z.object({
  file: ArtifactFile,
  message: z.string(),
  /** When the problem was found (ISO time). */
  at: z.string(),
  /** Each wrong field with its path (`nodes["model.x"].columns`) and rule, when the JSON parsed. */
  problems: z.array(ValidationProblem),
});
export type ArtifactError = z.infer<typeof ArtifactError>;

/** Facts about one loaded artifact file. */
export const ArtifactInfo = z.object({
  file: ArtifactFile,
  /** `v12` from `metadata.dbt_schema_version`. */
  schemaVersion: z.string(),
  dbtVersion: z.string().nullable(),
  generatedAt: z.string().nullable(),
  /** When this server read the file. */
  loadedAt: z.string(),
  warnings: z.array(z.string()),
});
export type ArtifactInfo = z.infer<typeof ArtifactInfo>;

/** One extension handler's run during the last load: who, whether it failed, how long, what it changed. */
export const HookReport = z.object({
  hook: z.string(),
  owner: z.string(),
  ok: z.boolean(),
  error: z.string().optional(),
  ms: z.number(),
  /** artifactLoad: patches applied and rejected; searchIndexBuild: documents added and rejected. */
  applied: z.number().int().optional(),
  rejected: z.array(z.string()).optional(),
});
export type HookReport = z.infer<typeof HookReport>;

/**
 * `GET catalog/status`. `state`: `loading` before the first load, `missing` without a manifest.json,
 * `error` when a file is broken (the last good load is still served), `ready` otherwise.
 */
export const CatalogStatus = z.object({
  workspace: z.string(),
  state: z.enum(['loading', 'ready', 'error', 'missing']),
  /** What is wrong, in a sentence, when the state is not `ready`. */
  message: z.string().nullable(),
  /** When the served index was built; null before the first good manifest. */
  loadedAt: z.string().nullable(),
  loadMs: z.number().nullable(),
  projectName: z.string().nullable(),
  artifacts: z.object({
    manifest: ArtifactInfo.nullable(),
    catalog: ArtifactInfo.nullable(),
    runResults: ArtifactInfo.nullable(),
  }),
  counts: z.object({ nodes: z.number().int(), tests: z.number().int(), searchDocuments: z.number().int() }),
  errors: z.array(ArtifactError),
  hooks: z.array(HookReport),
});
export type CatalogStatus = z.infer<typeof CatalogStatus>;

/** `GET catalog/summary`: what the dashboard shows. */
export const CatalogSummary = z.object({
  workspace: z.string(),
  loadedAt: z.string().nullable(),
  /** Nodes by resource type (`model`, `source`, ...), plus `test` and `unit_test`. */
  counts: z.record(z.string(), z.number().int()),
  tests: TestCounts,
  /** Last run status of models, seeds and snapshots: `success`, `error`, `skipped`, ... */
  runs: z.record(z.string(), z.number().int()),
  /** `metadata.generated_at` of run_results.json. */
  lastRunAt: z.string().nullable(),
  lastRunElapsedSeconds: z.number().nullable(),
  errors: z.array(ArtifactError),
});
export type CatalogSummary = z.infer<typeof CatalogSummary>;

/** Query of `GET search`. */
export const SearchQuery = z.object({
  q: z.string().max(200).default(''),
  limit: z.coerce.number().int().min(1).max(100).default(20),
});
export type SearchQuery = z.infer<typeof SearchQuery>;

/** Which part of a document matched, best first. */
export const MatchedField = z.enum(['name', 'tags', 'column', 'description', 'columnDescription', 'text']);
export type MatchedField = z.infer<typeof MatchedField>;

/** One search result. Documents added by extensions carry their `owner` and may lack a node. */
export const SearchHit = z.object({
  id: z.string(),
  /** The node to open, when the hit is (about) a node. */
  uniqueId: z.string().nullable(),
  resourceType: z.string(),
  name: z.string(),
  description: z.string(),
  matchedField: MatchedField,
  /** What matched in that field: the column's name for column hits, the tag for tag hits. */
  matchedText: z.string().nullable(),
  score: z.number(),
  owner: z.string().nullable(),
});
export type SearchHit = z.infer<typeof SearchHit>;

/** `GET search?q=&limit=`. */
export const SearchResponse = z.object({
  query: z.string(),
  hits: z.array(SearchHit),
  /** How many documents matched before `limit`. */
  total: z.number().int(),
  tookMs: z.number(),
});
export type SearchResponse = z.infer<typeof SearchResponse>;
