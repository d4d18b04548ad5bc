import { routeUrl, type RouteInput } from '@dbt-workbench/plugin-sdk/contracts/http';
import { lineageLimits } from '@dbt-workbench/plugin-sdk/contracts/lineage.schema';
import { getLineage } from '../../shared/http/lineage.ts';

/** What the lineage page shows, as kept in its URL: `lineage?focus=model.x.orders&up=3&down=1&select=&types=`. */
export interface LineageParams {
  focus: string | null;
  up: number;
  down: number;
  select: string | null;
  /** Resource types to keep; null for the default set. */
  types: string[] | null;
}

function level(value: string | null): number {
  const n = value === null || value.trim() === '' ? NaN : Number(value);
  if (!Number.isInteger(n)) return lineageLimits.defaultLevels;
  return Math.min(Math.max(n, 0), lineageLimits.maxLevels);
}

/** Reads the page's search params, falling back to defaults for missing or broken values. */
export function readLineageParams(search: URLSearchParams): LineageParams {
  const types = (search.get('types') ?? '')
    .split(',')
    .map((t) => t.trim())
    .filter(Boolean);
  return {
    focus: search.get('focus')?.trim() || null,
    up: level(search.get('up')),
    down: level(search.get('down')),
    select: search.get('select')?.trim() || null,
    types: types.length > 0 ? types : null,
  };
}

/** The search params for `params`, leaving defaults out so links stay short. */
export function lineageSearch(params: LineageParams): URLSearchParams {
  const search = new URLSearchParams();
  if (params.focus) search.set('focus', params.focus);
  if (params.focus && params.up !== lineageLimits.defaultLevels) search.set('up', String(params.up));
  if (params.focus && params.down !== lineageLimits.defaultLevels) search.set('down', String(params.down));
  if (params.select) search.set('select', params.select);
  if (params.types && params.types.length > 0) search.set('types', params.types.join(','));
  return search;
}

/** The most nodes the page asks for: the server's maximum; the layout and the canvas draw that many at once. */
export const drawLimit = lineageLimits.maxNodes;

/** The API query answering `params` (only what is set). */
export function lineageApiQuery(params: LineageParams): RouteInput<typeof getLineage>['query'] {
  return {
    ...(params.focus ? { focus: params.focus, up: params.up, down: params.down } : {}),
    ...(params.select ? { select: params.select } : {}),
    ...(params.types && params.types.length > 0 ? { types: params.types.join(',') } : {}),
    limit: drawLimit,
  };
}

/** The API URL answering `params` in a workspace. */
export function lineageApiUrl(workspace: string, params: LineageParams): string {
  return routeUrl(getLineage, { params: { workspace }, query: lineageApiQuery(params) });
}

/** A stable key for "the same view": the viewport is kept while it stays the same, fitted when it changes. */
export function viewKey(workspace: string, params: LineageParams): string {
  return lineageApiUrl(workspace, params);
}

/** The lineage page of a node, for links from other pages: `lineage?focus=<uniqueId>`. */
export function lineageLink(uniqueId: string): string {
  return `lineage?${new URLSearchParams({ focus: uniqueId }).toString()}`;
}
