import type { RegistrationPoint } from '@dbt-workbench/plugin-sdk/contracts/sandbox.schema';
import { MAX_PATCHES_PER_HANDLER } from '../catalog/patches.ts';
import { MAX_EXTENSION_DOCUMENTS } from '../search/search-index.ts';

/** Most badges, annotations and extra edges together in one backend's lineage overlay (a graph has ≤ 2,000 nodes). */
export const MAX_OVERLAY_ITEMS = 5_000;

const overlayItems = (value: Record<string, unknown>) =>
  ['nodeBadges', 'annotations', 'extraEdges'].reduce((sum, key) => {
    const list = value[key];
    return sum + (Array.isArray(list) ? list.length : 0);
  }, 0);

/**
 * Why a plugin backend's hook result is refused whole before the host checks its items, or `undefined`: more
 * patches, search documents or overlay items than one handler may return. Its bytes are capped already where it
 * crosses (PLUGIN_RESPONSE_LIMIT_MB); this bounds the work of checking it on the server's event loop. Pure.
 */
export function hookResultProblem(point: RegistrationPoint, value: unknown): string | undefined {
  const count = (limit: number, what: string) =>
    Array.isArray(value) && value.length > limit
      ? `returned ${value.length.toLocaleString('en-US')} ${what}; at most ${limit.toLocaleString('en-US')} are accepted`
      : undefined;
  switch (point) {
    case 'artifact-load':
      return count(MAX_PATCHES_PER_HANDLER, 'patches');
    case 'search-index':
      return count(MAX_EXTENSION_DOCUMENTS, 'search documents');
    case 'lineage-build': {
      if (typeof value !== 'object' || value === null) return undefined;
      const items = overlayItems(value as Record<string, unknown>);
      return items > MAX_OVERLAY_ITEMS
        ? `returned a lineage overlay of ${items.toLocaleString('en-US')} items; at most ${MAX_OVERLAY_ITEMS.toLocaleString('en-US')} are accepted`
        : undefined;
    }
    default:
      return undefined;
  }
}
