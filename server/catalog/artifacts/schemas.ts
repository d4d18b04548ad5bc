import { z } from 'zod';

// The parts of dbt's artifacts the catalog relies on, as zod schemas. Only the fields read are typed; every
// object is loose because real files carry keys newer than their schema version. Field names follow the
// official JSON Schemas (manifest v12, catalog v1, run-results v6; ../shared/data/schemas/).

const Text = z.string().nullish();
const Meta = z.record(z.string(), z.unknown()).nullish();
const Tags = z.array(z.string()).nullish();

/** `metadata` of every artifact. */
export const ArtifactMetadata = z.looseObject({
  dbt_schema_version: z.string(),
  dbt_version: Text,
  generated_at: Text,
  invocation_id: Text,
});

/** `metadata` of manifest.json. */
export const ManifestMetadata = ArtifactMetadata.extend({
  project_name: Text,
  adapter_type: Text,
});

/** A column as the manifest documents it (`nodes.<id>.columns.<name>`). */
export const ManifestColumn = z.looseObject({
  name: z.string(),
  description: Text,
  data_type: Text,
  meta: Meta,
  tags: Tags,
});
export type ManifestColumn = z.infer<typeof ManifestColumn>;

const DependsOn = z.looseObject({ nodes: z.array(z.string()).nullish() });

const NodeConfig = z.looseObject({
  materialized: Text,
  tags: z.union([z.array(z.string()), z.string()]).nullish(),
  meta: Meta,
  group: Text,
  access: Text,
  severity: Text,
});

/** What every entry of `nodes`, `sources`, `exposures`, ... must have for the catalog to use it. */
export const ManifestNode = z.looseObject({
  unique_id: z.string(),
  resource_type: z.string(),
  name: z.string(),
  package_name: z.string(),
  original_file_path: Text,
  description: Text,
  tags: Tags,
  meta: Meta,
  config: NodeConfig.nullish(),
  columns: z.record(z.string(), ManifestColumn).nullish(),
  depends_on: DependsOn.nullish(),
  database: Text,
  schema: Text,
  alias: Text,
  identifier: Text,
  relation_name: Text,
  group: Text,
  access: Text,
  version: z.union([z.string(), z.number()]).nullish(),
  language: Text,
  raw_code: Text,
  compiled_code: Text,
  // Names before dbt 1.3, still found in v9-era files written by older tooling.
  raw_sql: Text,
  compiled_sql: Text,
  // Sources
  source_name: Text,
  source_description: Text,
  // Tests
  column_name: Text,
  attached_node: Text,
  test_metadata: z.looseObject({ name: z.string(), kwargs: z.record(z.string(), z.unknown()).nullish() }).nullish(),
  // Exposures, metrics, saved queries
  owner: z.looseObject({ name: Text, email: z.union([z.string(), z.array(z.string())]).nullish() }).nullish(),
  label: Text,
  url: Text,
  // Unit tests
  model: Text,
});
export type ManifestNode = z.infer<typeof ManifestNode>;

/** `groups.<id>`: a group and its owner. */
export const ManifestGroup = z.looseObject({
  name: z.string(),
  owner: z.looseObject({ name: Text, email: z.union([z.string(), z.array(z.string())]).nullish() }).nullish(),
});

const isEntryMap = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
/** An object of entries checked one by one later; not copied here (zod's record would copy 4,000 nodes). */
const EntryMap = z.custom<Record<string, unknown>>(isEntryMap, {
  error: 'must be an object of entries by id',
  params: { rule: 'type object' },
});

/** An entry of `parent_map` / `child_map`: unique ids. */
export const EdgeList = z.array(z.string());

/**
 * `manifest.json`, top level only: the entries of `nodes`, `sources`, ..., `parent_map` and `child_map` are
 * checked one by one (see parse.ts), so a 16 MB manifest is not copied by zod and one odd node names itself.
 */
export const ManifestDocument = z.looseObject({
  metadata: ManifestMetadata,
  nodes: EntryMap,
  sources: EntryMap,
  exposures: EntryMap.nullish(),
  metrics: EntryMap.nullish(),
  semantic_models: EntryMap.nullish(),
  saved_queries: EntryMap.nullish(),
  unit_tests: EntryMap.nullish(),
  functions: EntryMap.nullish(),
  groups: EntryMap.nullish(),
  parent_map: EntryMap.nullish(),
  child_map: EntryMap.nullish(),
});
export type ManifestDocument = z.infer<typeof ManifestDocument>;

/** `catalog.json` columns: the warehouse's view of a relation. */
export const CatalogColumnEntry = z.looseObject({
  type: z.string(),
  index: z.number(),
  name: z.string(),
  comment: Text,
});

/** One table of catalog.json (`nodes.<id>` or `sources.<id>`). */
export const CatalogTableEntry = z.looseObject({
  metadata: z.looseObject({ type: z.string(), schema: z.string(), name: z.string(), database: Text, comment: Text }),
  columns: z.record(z.string(), CatalogColumnEntry),
  unique_id: Text,
});
export type CatalogTableEntry = z.infer<typeof CatalogTableEntry>;

/** `catalog.json` (catalog v1), top level; each table is checked with `CatalogTableEntry`. */
export const CatalogDocument = z.looseObject({
  metadata: ArtifactMetadata,
  nodes: EntryMap,
  sources: EntryMap,
  errors: z.array(z.string()).nullish(),
});
export type CatalogDocument = z.infer<typeof CatalogDocument>;

/** One entry of run_results.json's `results`. */
export const RunResultEntry = z.looseObject({
  status: z.string(),
  unique_id: z.string(),
  timing: z.array(z.looseObject({ name: z.string(), started_at: Text, completed_at: Text })),
  execution_time: z.number().nullish(),
  message: Text,
  failures: z.number().nullish(),
});
export type RunResultEntry = z.infer<typeof RunResultEntry>;

/** `run_results.json` (run-results v4 to v6), top level; each result is checked with `RunResultEntry`. */
export const RunResultsDocument = z.looseObject({
  metadata: ArtifactMetadata,
  results: z.array(z.unknown()),
  elapsed_time: z.number().nullish(),
});
export type RunResultsDocument = z.infer<typeof RunResultsDocument>;
