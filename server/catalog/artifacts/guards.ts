import type { CatalogTableEntry, ManifestNode, RunResultEntry } from './schemas.ts';

// A hand-written check equal to `ManifestNode.safeParse(value).success`, about ten times faster: a 16 MB
// manifest holds thousands of nodes with tens of columns each, and zod spends ~60 ms on them. parse.ts runs
// these on every entry and asks zod only about the entries they reject, to name the field and rule.
// guards.test.ts checks that both agree, field by field.

type Value = unknown;

const isString = (v: Value): v is string => typeof v === 'string';
const isText = (v: Value) => v === undefined || v === null || typeof v === 'string';
const isObject = (v: Value): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isStringArray = (v: Value) => Array.isArray(v) && v.every(isString);
const isTags = (v: Value) => v === undefined || v === null || isStringArray(v);
const isMeta = (v: Value) => v === undefined || v === null || isObject(v);
const optional = (check: (v: Value) => boolean) => (v: Value) => v === undefined || v === null || check(v);

/** Node fields that are a string, null or absent. */
export const TEXT_FIELDS = [
  'original_file_path',
  'description',
  'database',
  'schema',
  'alias',
  'identifier',
  'relation_name',
  'group',
  'access',
  'language',
  'raw_code',
  'compiled_code',
  'raw_sql',
  'compiled_sql',
  'source_name',
  'source_description',
  'column_name',
  'attached_node',
  'label',
  'url',
  'model',
] as const;

const isColumn = (v: Value) =>
  isObject(v) && isString(v.name) && isText(v.description) && isText(v.data_type) && isMeta(v.meta) && isTags(v.tags);

const isConfig = optional(
  (v) =>
    isObject(v) &&
    isText(v.materialized) &&
    (v.tags === undefined || v.tags === null || isString(v.tags) || isStringArray(v.tags)) &&
    isMeta(v.meta) &&
    isText(v.group) &&
    isText(v.access) &&
    isText(v.severity),
);

const isColumns = optional((v) => isObject(v) && Object.values(v).every(isColumn));
const isDependsOn = optional(
  (v) => isObject(v) && (v.nodes === undefined || v.nodes === null || isStringArray(v.nodes)),
);
const isTestMetadata = optional((v) => isObject(v) && isString(v.name) && isMeta(v.kwargs));
const isOwner = optional(
  (v) =>
    isObject(v) &&
    isText(v.name) &&
    (v.email === undefined || v.email === null || isString(v.email) || isStringArray(v.email)),
);
const isVersion = (v: Value) => v === undefined || v === null || typeof v === 'string' || typeof v === 'number';

/** True when `value` has every field the catalog reads from a manifest node, with the right types. */
export function looksLikeNode(value: Value): value is ManifestNode {
  if (!isObject(value)) return false;
  const v = value;
  if (!isString(v.unique_id) || !isString(v.resource_type) || !isString(v.name) || !isString(v.package_name)) {
    return false;
  }
  for (const field of TEXT_FIELDS) if (!isText(v[field])) return false;
  return (
    isTags(v.tags) &&
    isMeta(v.meta) &&
    isVersion(v.version) &&
    isConfig(v.config) &&
    isColumns(v.columns) &&
    isDependsOn(v.depends_on) &&
    isTestMetadata(v.test_metadata) &&
    isOwner(v.owner)
  );
}

const isNumber = (v: Value) => typeof v === 'number';

const isCatalogColumn = (v: Value) =>
  isObject(v) && isString(v.type) && isNumber(v.index) && isString(v.name) && isText(v.comment);

/** Equal to `CatalogTableEntry.safeParse(value).success`. */
export function looksLikeCatalogTable(value: Value): value is CatalogTableEntry {
  if (!isObject(value)) return false;
  const m = value.metadata;
  return (
    isObject(m) &&
    isString(m.type) &&
    isString(m.schema) &&
    isString(m.name) &&
    isText(m.database) &&
    isText(m.comment) &&
    isObject(value.columns) &&
    Object.values(value.columns).every(isCatalogColumn) &&
    isText(value.unique_id)
  );
}

const isTiming = (v: Value) => isObject(v) && isString(v.name) && isText(v.started_at) && isText(v.completed_at);

/** Equal to `RunResultEntry.safeParse(value).success`. */
export function looksLikeRunResult(value: Value): value is RunResultEntry {
  return (
    isObject(value) &&
    isString(value.status) &&
    isString(value.unique_id) &&
    Array.isArray(value.timing) &&
    value.timing.every(isTiming) &&
    (value.execution_time === undefined || value.execution_time === null || isNumber(value.execution_time)) &&
    isText(value.message) &&
    (value.failures === undefined || value.failures === null || isNumber(value.failures))
  );
}
