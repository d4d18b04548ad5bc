import type { z } from 'zod';
import type { ArtifactFile } from '@dbt-workbench/plugin-sdk/contracts/catalog.schema';
import type { ValidationProblem } from '@dbt-workbench/plugin-sdk/contracts/validation';
import { looksLikeCatalogTable, looksLikeNode, looksLikeRunResult } from './guards.ts';
import {
  CatalogDocument,
  CatalogTableEntry,
  EdgeList,
  ManifestDocument,
  ManifestGroup,
  ManifestNode,
  RunResultEntry,
  RunResultsDocument,
} from './schemas.ts';

/** The three artifacts, by the name the code uses for them. */
export type ArtifactKind = 'manifest' | 'catalog' | 'runResults';

/** The file each artifact is read from, inside a workspace's target folder. */
export const ARTIFACT_FILES: Readonly<Record<ArtifactKind, ArtifactFile>> = {
  manifest: 'manifest.json',
  catalog: 'catalog.json',
  runResults: 'run_results.json',
};

/** Schema versions (from `metadata.dbt_schema_version`) read without a warning. Older is an error. */
export const SUPPORTED_VERSIONS: Readonly<Record<ArtifactKind, { min: number; max: number; slug: string }>> = {
  manifest: { min: 9, max: 12, slug: 'manifest' },
  catalog: { min: 1, max: 1, slug: 'catalog' },
  runResults: { min: 4, max: 6, slug: 'run-results' },
};

/** Sections of the manifest whose entries become catalog nodes or tests. */
const NODE_SECTIONS = [
  'nodes',
  'sources',
  'exposures',
  'metrics',
  'semantic_models',
  'saved_queries',
  'unit_tests',
  'functions',
] as const;

/** What every parsed artifact tells about itself. */
export interface ArtifactHeader {
  /** `v12`, from `metadata.dbt_schema_version`. */
  schemaVersion: string;
  dbtVersion: string | null;
  generatedAt: string | null;
  invocationId: string | null;
  /** Readable but odd: a schema newer than this server knows, and the like. */
  warnings: string[];
}

/** manifest.json, checked: every node of every section passed `ManifestNode`. */
export interface ParsedManifest extends ArtifactHeader {
  projectName: string | null;
  adapterType: string | null;
  /** Entries of `nodes`, `sources`, `exposures`, `metrics`, `semantic_models`, `saved_queries`, `unit_tests`, `functions`. */
  nodes: ManifestNode[];
  /** Groups by unique id (`group.<package>.<name>`). */
  groups: Map<string, z.infer<typeof ManifestGroup>>;
  parentMap: Record<string, string[]> | null;
  childMap: Record<string, string[]> | null;
}

/** catalog.json, checked. */
export interface ParsedCatalog extends ArtifactHeader {
  /** Tables of `nodes` and `sources` by unique id. */
  tables: Map<string, CatalogTableEntry>;
  errors: string[];
}

/** run_results.json, checked. */
export interface ParsedRunResults extends ArtifactHeader {
  /** Results by unique id. */
  results: Map<string, RunResultEntry>;
  elapsedSeconds: number | null;
}

/** A parse either gives the artifact or says what is wrong: a sentence, and each field with its rule. */
export type ParseOutcome<T> = { ok: true; value: T } | { ok: false; message: string; problems: ValidationProblem[] };

/** At most this many problems are listed for one file; the message says how many there were. */
const MAX_PROBLEMS = 20;

function isIdentifier(key: string): boolean {
  return /^[A-Za-z_][A-Za-z0-9_]*$/.test(key);
}

/** Renders a path the way a person would find it in the file: `nodes["model.shop.orders"].columns.id.name`. */
export function artifactPath(path: readonly PropertyKey[]): string {
  if (path.length === 0) return '(document)';
  return path
    .map((key, i) => {
      if (typeof key === 'number') return `[${key}]`;
      const text = String(key);
      if (isIdentifier(text)) return i === 0 ? text : `.${text}`;
      return `[${JSON.stringify(text)}]`;
    })
    .join('');
}

function problemsOf(error: z.ZodError, prefix: readonly PropertyKey[] = []): ValidationProblem[] {
  return error.issues.map((issue) => {
    const field = artifactPath([...prefix, ...issue.path]);
    const missing = (issue.code === 'invalid_type' || issue.code === 'custom') && issue.input === undefined;
    const rule = missing
      ? 'required'
      : issue.code === 'invalid_type'
        ? `type ${issue.expected}`
        : issue.code === 'invalid_format'
          ? issue.format
          : issue.code === 'custom' && typeof issue.params?.rule === 'string'
            ? issue.params.rule
            : issue.code;
    const text = missing ? 'is required' : issue.message;
    return { field, rule, message: `${field}: ${text}` };
  });
}

function failure<T>(file: ArtifactFile, problems: ValidationProblem[], wrongEntries = 0): ParseOutcome<T> {
  const shown = problems.slice(0, MAX_PROBLEMS);
  const first = shown
    .slice(0, 3)
    .map((p) => p.message)
    .join('; ');
  const more =
    wrongEntries > 1
      ? ` (${wrongEntries} entries are wrong)`
      : problems.length > 3
        ? ` (and ${problems.length - 3} more)`
        : '';
  return { ok: false, message: `${file} does not have the expected structure: ${first}${more}`, problems: shown };
}

/**
 * Checks each entry of a record (or array) with a fast guard; asks zod about the ones it rejects, to name
 * their wrong fields. Returns the accepted entries, and the problems of at most MAX_PROBLEMS wrong ones.
 */
function checkEntries<T>(
  entries: Iterable<[string | number, unknown]>,
  guard: (value: unknown) => value is T,
  schema: z.ZodType,
  prefix: readonly PropertyKey[],
  into: { accepted: T[]; problems: ValidationProblem[]; wrong: number },
): void {
  for (const [key, value] of entries) {
    if (guard(value)) {
      into.accepted.push(value);
      continue;
    }
    into.wrong += 1;
    if (into.problems.length >= MAX_PROBLEMS) continue;
    const checked = schema.safeParse(value, { reportInput: true });
    const where = artifactPath([...prefix, key]);
    into.problems.push(
      ...(checked.success
        ? [{ field: where, rule: 'type', message: `${where}: has an unexpected shape` }]
        : problemsOf(checked.error, [...prefix, key])),
    );
  }
}

const isEdgeList = (value: unknown): value is string[] =>
  Array.isArray(value) && value.every((v) => typeof v === 'string');

/** Reads `v12` from `https://schemas.getdbt.com/dbt/manifest/v12.json` and checks it against what is supported. */
export function checkSchemaVersion(
  kind: ArtifactKind,
  url: string,
): { ok: true; version: string; warnings: string[] } | { ok: false; problem: ValidationProblem } {
  const { min, max, slug } = SUPPORTED_VERSIONS[kind];
  const file = ARTIFACT_FILES[kind];
  const match = new RegExp(`/${slug}/v(\\d+)(?:\\.json)?$`).exec(url);
  const field = 'metadata.dbt_schema_version';
  if (!match) {
    return {
      ok: false,
      problem: {
        field,
        rule: 'schema',
        message: `${field}: "${url}" is not a ${file} schema (expected .../${slug}/v${max}.json)`,
      },
    };
  }
  const version = Number(match[1]);
  if (version < min) {
    return {
      ok: false,
      problem: {
        field,
        rule: 'version',
        message: `${field}: ${file} schema v${version} is older than supported (v${min} to v${max}); regenerate it with a newer dbt`,
      },
    };
  }
  const warnings =
    version > max ? [`${file} schema v${version} is newer than this server knows (v${max}); read as v${max}`] : [];
  return { ok: true, version: `v${version}`, warnings };
}

function header(
  kind: ArtifactKind,
  metadata: z.infer<typeof ManifestDocument>['metadata'],
): ArtifactHeader | ValidationProblem {
  const checked = checkSchemaVersion(kind, metadata.dbt_schema_version);
  if (!checked.ok) return checked.problem;
  return {
    schemaVersion: checked.version,
    dbtVersion: metadata.dbt_version ?? null,
    generatedAt: metadata.generated_at ?? null,
    invocationId: metadata.invocation_id ?? null,
    warnings: checked.warnings,
  };
}

/**
 * Checks a parsed manifest.json. The top level is checked whole; then each entry of each node section is
 * checked on the fields the catalog reads (not every nested field), which keeps a 16 MB manifest fast.
 */
export function parseManifest(json: unknown): ParseOutcome<ParsedManifest> {
  const file = ARTIFACT_FILES.manifest;
  const top = ManifestDocument.safeParse(json, { reportInput: true });
  if (!top.success) return failure(file, problemsOf(top.error));
  const doc = top.data;
  const head = header('manifest', doc.metadata);
  if ('rule' in head) return failure(file, [head]);

  const nodes = { accepted: [] as ManifestNode[], problems: [] as ValidationProblem[], wrong: 0 };
  for (const section of NODE_SECTIONS) {
    const entries = doc[section];
    if (entries) checkEntries(Object.entries(entries), looksLikeNode, ManifestNode, [section], nodes);
  }
  const edges = { accepted: [] as string[][], problems: nodes.problems, wrong: nodes.wrong };
  for (const map of ['parent_map', 'child_map'] as const) {
    const entries = doc[map];
    if (entries) checkEntries(Object.entries(entries), isEdgeList, EdgeList, [map], edges);
  }
  if (edges.problems.length > 0) return failure(file, edges.problems, edges.wrong);

  const groups = new Map<string, z.infer<typeof ManifestGroup>>();
  for (const [id, value] of Object.entries(doc.groups ?? {})) {
    const group = ManifestGroup.safeParse(value);
    if (group.success) groups.set(id, group.data);
  }
  return {
    ok: true,
    value: {
      ...head,
      projectName: doc.metadata.project_name ?? null,
      adapterType: doc.metadata.adapter_type ?? null,
      nodes: nodes.accepted,
      groups,
      parentMap: (doc.parent_map as Record<string, string[]> | null | undefined) ?? null,
      childMap: (doc.child_map as Record<string, string[]> | null | undefined) ?? null,
    },
  };
}

/** Checks a parsed catalog.json (the warehouse's tables and column types). */
export function parseCatalog(json: unknown): ParseOutcome<ParsedCatalog> {
  const file = ARTIFACT_FILES.catalog;
  const top = CatalogDocument.safeParse(json, { reportInput: true });
  if (!top.success) return failure(file, problemsOf(top.error));
  const doc = top.data;
  const head = header('catalog', doc.metadata);
  if ('rule' in head) return failure(file, [head]);
  const tables = new Map<string, CatalogTableEntry>();
  const checked = { accepted: [] as CatalogTableEntry[], problems: [] as ValidationProblem[], wrong: 0 };
  for (const section of ['nodes', 'sources'] as const) {
    const entries = Object.entries(doc[section]);
    checkEntries(entries, looksLikeCatalogTable, CatalogTableEntry, [section], checked);
    for (const [key, table] of entries) {
      if (looksLikeCatalogTable(table)) tables.set(table.unique_id ?? key, table);
    }
  }
  if (checked.problems.length > 0) return failure(file, checked.problems, checked.wrong);
  return { ok: true, value: { ...head, tables, errors: doc.errors ?? [] } };
}

/** Checks a parsed run_results.json (the last invocation's result per node and test). */
export function parseRunResults(json: unknown): ParseOutcome<ParsedRunResults> {
  const file = ARTIFACT_FILES.runResults;
  const top = RunResultsDocument.safeParse(json, { reportInput: true });
  if (!top.success) return failure(file, problemsOf(top.error));
  const doc = top.data;
  const head = header('runResults', doc.metadata);
  if ('rule' in head) return failure(file, [head]);
  const checked = { accepted: [] as RunResultEntry[], problems: [] as ValidationProblem[], wrong: 0 };
  checkEntries(doc.results.entries(), looksLikeRunResult, RunResultEntry, ['results'], checked);
  if (checked.problems.length > 0) return failure(file, checked.problems, checked.wrong);
  const results = new Map<string, RunResultEntry>();
  for (const result of checked.accepted) results.set(result.unique_id, result);
  return { ok: true, value: { ...head, results, elapsedSeconds: doc.elapsed_time ?? null } };
}

/** Where in the text a JSON syntax error is, as `line 3, column 14`, from V8's `position N` message. */
function locate(text: string, message: string): string {
  const position = /position (\d+)/.exec(message);
  if (!position) return message;
  const offset = Number(position[1]);
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  const column = offset - before.lastIndexOf('\n');
  return `${message} (line ${line}, column ${column})`;
}

/** Parses JSON text; a syntax error names the file, line and column. */
export function parseJsonText(
  file: ArtifactFile,
  text: string,
): { ok: true; json: unknown } | { ok: false; message: string; problems: ValidationProblem[] } {
  if (text.trim() === '') {
    return {
      ok: false,
      message: `${file} is empty (was it still being written?)`,
      problems: [{ field: '(document)', rule: 'json', message: 'the file is empty' }],
    };
  }
  try {
    return { ok: true, json: JSON.parse(text) };
  } catch (error) {
    const where = locate(text, (error as Error).message);
    return {
      ok: false,
      message: `${file} is not valid JSON: ${where}`,
      problems: [{ field: '(document)', rule: 'json', message: where }],
    };
  }
}
