import { z } from 'zod';
import type { CatalogColumn, CatalogNode, HookReport } from '@dbt-workbench/plugin-sdk/contracts/catalog.schema';
import type { HookOutcome } from '../hooks/hook-point.ts';
import { yieldToLoop } from './artifacts/read.ts';
import { deepFreeze, type ProjectIndex } from './project/project-index.ts';

/** Largest `fields` object one patch may carry, as JSON. Patches are annotations, not data sets. */
export const MAX_PATCH_BYTES = 8 * 1024;
/** Most patches one handler may return for one load; checking each costs the server's event loop 10 to 50 µs. */
export const MAX_PATCHES_PER_HANDLER = 20_000;
/** Work on the event loop between two yields while patches are checked, so other requests are served meanwhile. */
const SLICE_MS = 8;

/**
 * An `artifactLoad` handler's addition to one node (or one of its columns): `fields` lands under
 * `extensions[<owner>]` there. Several patches of one owner to the same place are merged, later keys winning.
 */
export const ArtifactPatch = z.object({
  uniqueId: z.string().min(1),
  /** A column of the node, matched case-insensitively. Absent: the patch is for the node. */
  column: z.string().min(1).optional(),
  fields: z.record(z.string(), z.unknown()),
});
export type ArtifactPatch = z.infer<typeof ArtifactPatch>;

type Fields = Record<string, unknown>;

interface NodeChanges {
  node: Map<string, Fields>;
  /** By lowercased column name, then owner. */
  columns: Map<string, Map<string, Fields>>;
}

/** A JSON-only copy of `fields`, or the reason it is not acceptable. */
function cleanFields(fields: Fields): { ok: true; value: Fields } | { ok: false; reason: string } {
  let text: string | undefined;
  try {
    text = JSON.stringify(fields);
  } catch (error) {
    return { ok: false, reason: `fields are not JSON: ${(error as Error).message}` };
  }
  if (text === undefined) return { ok: false, reason: 'fields are not JSON' };
  if (text.length > MAX_PATCH_BYTES) {
    return { ok: false, reason: `fields take ${text.length} bytes as JSON; at most ${MAX_PATCH_BYTES} are allowed` };
  }
  return { ok: true, value: JSON.parse(text) as Fields };
}

function merge(into: Map<string, Fields>, owner: string, fields: Fields): void {
  into.set(owner, { ...into.get(owner), ...fields });
}

function withExtensions<T extends { extensions: CatalogNode['extensions'] }>(item: T, added: Map<string, Fields>): T {
  const extensions = { ...item.extensions };
  for (const [owner, fields] of added) extensions[owner] = { ...extensions[owner], ...fields };
  return { ...item, extensions };
}

function patchedNode(node: CatalogNode, changes: NodeChanges): CatalogNode {
  const next = changes.node.size > 0 ? withExtensions(node, changes.node) : { ...node };
  if (changes.columns.size > 0) {
    next.columns = node.columns.map((column: CatalogColumn) => {
      const added = changes.columns.get(column.name.toLowerCase());
      return added ? withExtensions(column, added) : column;
    });
  }
  return next;
}

/**
 * Applies what `artifactLoad` handlers returned to a frozen index, copy-on-write: patched nodes are new
 * objects, everything else is shared. Bad patches (unknown node or column, not JSON, too large) are
 * rejected one by one and reported; a failed handler contributes nothing. Yields to the event loop every few ms.
 */
export async function applyPatches(
  index: ProjectIndex,
  outcomes: readonly HookOutcome<readonly ArtifactPatch[] | void>[],
  hook = 'artifactLoad',
): Promise<{ index: ProjectIndex; reports: HookReport[] }> {
  let sliceStarted = performance.now();
  const changes = new Map<string, NodeChanges>();
  const reports: HookReport[] = [];
  for (const outcome of outcomes) {
    const report: HookReport = { hook, owner: outcome.owner, ok: outcome.ok, ms: Math.round(outcome.ms * 100) / 100 };
    if (!outcome.ok) {
      reports.push({ ...report, error: outcome.error ?? 'failed' });
      continue;
    }
    const rejected: string[] = [];
    let applied = 0;
    const patches: unknown = outcome.result ?? [];
    if (!Array.isArray(patches)) {
      reports.push({ ...report, ok: false, error: 'returned something other than a list of patches' });
      continue;
    }
    if (patches.length > MAX_PATCHES_PER_HANDLER) {
      rejected.push(`returned ${patches.length} patches; only the first ${MAX_PATCHES_PER_HANDLER} were read`);
    }
    for (const [i, raw] of patches.slice(0, MAX_PATCHES_PER_HANDLER).entries()) {
      if (i % 64 === 0 && performance.now() - sliceStarted > SLICE_MS) {
        await yieldToLoop();
        sliceStarted = performance.now();
      }
      const parsed = ArtifactPatch.safeParse(raw);
      if (!parsed.success) {
        rejected.push(
          `patch ${i}: ${parsed.error.issues[0]?.path.join('.') || 'patch'} ${parsed.error.issues[0]?.message}`,
        );
        continue;
      }
      const patch = parsed.data;
      const node = index.nodes.get(patch.uniqueId);
      if (!node) {
        rejected.push(`patch ${i}: no node "${patch.uniqueId}"`);
        continue;
      }
      const column = patch.column?.toLowerCase();
      if (column !== undefined && !node.columns.some((c) => c.name.toLowerCase() === column)) {
        rejected.push(`patch ${i}: ${patch.uniqueId} has no column "${patch.column}"`);
        continue;
      }
      const fields = cleanFields(patch.fields);
      if (!fields.ok) {
        rejected.push(`patch ${i}: ${fields.reason}`);
        continue;
      }
      let entry = changes.get(node.uniqueId);
      if (!entry) {
        entry = { node: new Map(), columns: new Map() };
        changes.set(node.uniqueId, entry);
      }
      if (column === undefined) merge(entry.node, outcome.owner, fields.value);
      else {
        const perColumn = entry.columns.get(column) ?? new Map<string, Fields>();
        merge(perColumn, outcome.owner, fields.value);
        entry.columns.set(column, perColumn);
      }
      applied += 1;
    }
    reports.push({ ...report, applied, ...(rejected.length > 0 ? { rejected: rejected.slice(0, 20) } : {}) });
  }
  if (changes.size === 0) return { index, reports };

  const nodes = new Map(index.nodes);
  for (const [id, change] of changes) {
    const node = nodes.get(id);
    if (node) nodes.set(id, deepFreeze(patchedNode(node, change)));
  }
  const list = Object.freeze(index.list.map((node) => nodes.get(node.uniqueId) ?? node));
  return { index: Object.freeze({ ...index, nodes, list }), reports };
}
