import MiniSearch, { type SearchResult } from 'minisearch';
import { z } from 'zod';
import type { HookReport, MatchedField, SearchHit } from '@dbt-workbench/plugin-sdk/contracts/catalog.schema';
import type { ProjectIndex } from '../catalog/project/project-index.ts';
import { createHookPoint, type HookOutcome, type HookPoint } from '../hooks/hook-point.ts';

/** Most documents one `searchIndexBuild` handler may add per build. */
export const MAX_EXTENSION_DOCUMENTS = 20_000;

/**
 * A document a `searchIndexBuild` handler adds to a workspace's search. Its hits carry the handler's owner;
 * with `uniqueId` they open that node. Documents of a disabled plugin go with the next rebuild.
 */
export const ExtensionSearchDocument = z.object({
  /** Unique among the handler's own documents. */
  id: z.string().min(1).max(300),
  title: z.string().min(1).max(300),
  text: z.string().max(20_000).optional(),
  tags: z.array(z.string().max(100)).max(50).optional(),
  /** The catalog node this document is about, if any. */
  uniqueId: z.string().optional(),
  /** Shown as the hit's type; `extension` by default. */
  resourceType: z.string().min(1).max(40).optional(),
});
export type ExtensionSearchDocument = z.infer<typeof ExtensionSearchDocument>;

/** What `searchIndexBuild` handlers get: the index (with extensions applied) the search is built from. */
export interface SearchIndexBuildPayload {
  workspace: string;
  index: ProjectIndex;
}

/** Runs on every search rebuild; handlers return documents to add. */
export type SearchIndexBuildHook = HookPoint<SearchIndexBuildPayload, readonly ExtensionSearchDocument[] | void>;

/** Creates the `searchIndexBuild` hook point; `createCatalogHooks` does this once. */
export function createSearchIndexBuildHook(): SearchIndexBuildHook {
  return createHookPoint('searchIndexBuild');
}

interface Doc {
  id: string;
  uniqueId: string | null;
  resourceType: string;
  name: string;
  description: string;
  tags: readonly string[];
  columns: readonly { name: string; description: string }[];
  text: string;
  owner: string | null;
}

/** Fields in the order a hit reports them: the first field a term matched in wins. */
const FIELD_ORDER = ['name', 'uniqueId', 'tags', 'columnNames', 'description', 'columnDescriptions', 'text'] as const;
type Field = (typeof FIELD_ORDER)[number];

const MATCHED: Record<Field, MatchedField> = {
  name: 'name',
  uniqueId: 'name',
  tags: 'tags',
  columnNames: 'column',
  description: 'description',
  columnDescriptions: 'columnDescription',
  text: 'text',
};

const WORD_SPLIT = /[\s,;:!?()[\]{}"'`*<>=|/\\+#@$%^&~]+/u;
const JOINERS = /[_.-]+/;

/** `stg_orders.status` is one word and also its parts, so `stg_orders`, `orders` and `status` all find it. */
function tokenize(text: string, field?: string): string[] {
  const tokens: string[] = [];
  for (const raw of text.split(WORD_SPLIT)) {
    const word = raw.replace(/^[_.-]+|[_.-]+$/g, '');
    if (!word) continue;
    tokens.push(word);
    // Queries keep words whole; indexed text adds the parts (unique ids only whole: `model` would match all).
    if (field !== undefined && field !== 'uniqueId' && JOINERS.test(word)) {
      for (const part of word.split(JOINERS)) if (part) tokens.push(part);
    }
  }
  return tokens;
}

const processTerm = (term: string) => term.toLowerCase();

function nodeDocuments(index: ProjectIndex): Doc[] {
  return index.list.map((node) => ({
    id: node.uniqueId,
    uniqueId: node.uniqueId,
    resourceType: node.resourceType,
    name: node.name,
    description: node.description,
    tags: node.tags,
    columns: node.columns.map((c) => ({ name: c.name, description: c.description })),
    text: '',
    owner: null,
  }));
}

/** The documents handlers returned, checked one by one; rejects are reported, never fatal. */
export function extensionDocuments(
  outcomes: readonly HookOutcome<readonly ExtensionSearchDocument[] | void>[],
  index: ProjectIndex,
): { documents: Doc[]; reports: HookReport[] } {
  const documents: Doc[] = [];
  const reports: HookReport[] = [];
  for (const outcome of outcomes) {
    const report: HookReport = {
      hook: 'searchIndexBuild',
      owner: outcome.owner,
      ok: outcome.ok,
      ms: Math.round(outcome.ms * 100) / 100,
    };
    if (!outcome.ok) {
      reports.push({ ...report, error: outcome.error ?? 'failed' });
      continue;
    }
    const given: unknown = outcome.result ?? [];
    if (!Array.isArray(given)) {
      reports.push({ ...report, ok: false, error: 'returned something other than a list of documents' });
      continue;
    }
    const rejected: string[] = [];
    const seen = new Set<string>();
    for (const [i, raw] of given.slice(0, MAX_EXTENSION_DOCUMENTS).entries()) {
      const parsed = ExtensionSearchDocument.safeParse(raw);
      if (!parsed.success) {
        const issue = parsed.error.issues[0];
        rejected.push(`document ${i}: ${issue?.path.join('.') || 'document'} ${issue?.message}`);
        continue;
      }
      const doc = parsed.data;
      if (seen.has(doc.id)) {
        rejected.push(`document ${i}: id "${doc.id}" is used twice`);
        continue;
      }
      seen.add(doc.id);
      const node = doc.uniqueId ? index.nodes.get(doc.uniqueId) : undefined;
      documents.push({
        id: `ext:${outcome.owner}:${doc.id}`,
        uniqueId: node ? node.uniqueId : null,
        resourceType: doc.resourceType ?? 'extension',
        name: doc.title,
        description: doc.text?.slice(0, 300) ?? '',
        tags: doc.tags ?? [],
        columns: [],
        text: doc.text ?? '',
        owner: outcome.owner,
      });
    }
    if (given.length > MAX_EXTENSION_DOCUMENTS)
      rejected.push(`only the first ${MAX_EXTENSION_DOCUMENTS} documents were read`);
    reports.push({
      ...report,
      applied: seen.size,
      ...(rejected.length > 0 ? { rejected: rejected.slice(0, 20) } : {}),
    });
  }
  return { documents, reports };
}

/** A workspace's full-text search over node names, unique ids, tags, columns, descriptions and extension text. */
export interface CatalogSearchIndex {
  /** Documents indexed. */
  readonly size: number;
  /** Hits best first (exact name, then name prefix, then name substring, then relevance); `total` before `limit`. */
  search(query: string, limit?: number): { hits: SearchHit[]; total: number };
}

function nameTier(name: string, query: string): number {
  const lower = name.toLowerCase();
  if (lower === query) return 0;
  if (lower.startsWith(query)) return 1;
  if (lower.includes(query)) return 2;
  return 3;
}

function whatMatched(doc: Doc, result: SearchResult, tier: number): { field: MatchedField; text: string | null } {
  if (tier < 3) return { field: 'name', text: doc.name };
  const fieldsByTerm = Object.entries(result.match as Record<string, string[]>);
  for (const field of FIELD_ORDER) {
    const terms = fieldsByTerm.filter(([, fields]) => fields.includes(field)).map(([term]) => term);
    if (terms.length === 0) continue;
    const has = (text: string) => tokenize(text, field).some((t) => terms.includes(t.toLowerCase()));
    switch (field) {
      case 'name':
      case 'uniqueId':
        return { field: 'name', text: doc.name };
      case 'tags':
        return { field: 'tags', text: doc.tags.find(has) ?? null };
      case 'columnNames':
        return { field: 'column', text: doc.columns.find((c) => has(c.name))?.name ?? null };
      case 'columnDescriptions':
        return { field: 'columnDescription', text: doc.columns.find((c) => has(c.description))?.name ?? null };
      default:
        return { field: MATCHED[field], text: null };
    }
  }
  return { field: 'text', text: null };
}

/** Documents added between yields to the event loop while a search index is built. */
const CHUNK = 150;

/**
 * Builds the search of one index plus extension documents, yielding to the event loop every few hundred
 * documents (about 150 ms in all for the 1,177 documents of a 4,122-node manifest).
 */
export async function createCatalogSearchIndex(
  index: ProjectIndex,
  extra: readonly Doc[] = [],
): Promise<CatalogSearchIndex> {
  const docs = new Map<string, Doc>();
  for (const doc of [...nodeDocuments(index), ...extra]) docs.set(doc.id, doc);
  const mini = new MiniSearch<Doc>({
    fields: [...FIELD_ORDER],
    idField: 'id',
    tokenize,
    processTerm,
    extractField: (doc, field) => {
      switch (field as Field | 'id') {
        case 'id':
          return doc.id;
        case 'uniqueId':
          return doc.uniqueId ?? '';
        case 'tags':
          return doc.tags.join(' ');
        case 'columnNames':
          return doc.columns.map((c) => c.name).join(' ');
        case 'columnDescriptions':
          return doc.columns.map((c) => c.description).join(' \n ');
        default:
          return (doc as unknown as Record<string, string>)[field] ?? '';
      }
    },
    searchOptions: {
      tokenize: (text) => tokenize(text),
      processTerm,
      boost: { name: 8, uniqueId: 4, tags: 3, columnNames: 3, description: 1, columnDescriptions: 0.5, text: 1 },
      prefix: (term) => term.length >= 2,
      fuzzy: (term) => (term.length >= 4 ? 0.2 : false),
      maxFuzzy: 2,
      combineWith: 'AND',
    },
  });
  await mini.addAllAsync([...docs.values()], { chunkSize: CHUNK });

  return {
    size: docs.size,
    search(query, limit = 20) {
      const needle = query.trim().toLowerCase();
      if (!needle) return { hits: [], total: 0 };
      const results = mini.search(needle);
      const ranked = results
        .map((result) => {
          const doc = docs.get(result.id as string) as Doc;
          return { doc, result, tier: nameTier(doc.name, needle) };
        })
        .sort((a, b) => a.tier - b.tier || b.result.score - a.result.score || a.doc.name.localeCompare(b.doc.name));
      const hits = ranked.slice(0, limit).map(({ doc, result, tier }): SearchHit => {
        const matched = whatMatched(doc, result, tier);
        return {
          id: doc.id,
          uniqueId: doc.uniqueId,
          resourceType: doc.resourceType,
          name: doc.name,
          description: doc.description.length > 240 ? `${doc.description.slice(0, 239)}…` : doc.description,
          matchedField: matched.field,
          matchedText: matched.text,
          score: Math.round(result.score * 1000) / 1000,
          owner: doc.owner,
        };
      });
      return { hits, total: results.length };
    },
  };
}

/** The search of an index without documents. */
export const emptySearchIndex: CatalogSearchIndex = Object.freeze({
  size: 0,
  search: () => ({ hits: [], total: 0 }),
});

/** A document of the search index, as `extensionDocuments` makes them for `createCatalogSearchIndex`. */
export type { Doc as SearchDocument };
