import { keepPreviousData, useQuery } from '@tanstack/react-query';
import * as api from '../../shared/http/lineage.ts';
import { callApi } from '../api/client.ts';
import { lineageApiQuery, lineageApiUrl, type LineageParams } from './lineage-params.ts';

/**
 * Query keys of the lineage. Invalidate `lineageKeys.workspace(name)` when a workspace's artifacts change: the
 * page refetches and redraws in place, keeping the user's zoom and position.
 */
export const lineageKeys = {
  workspace: (workspace: string) => ['lineage', workspace] as const,
  view: (workspace: string, url: string) => ['lineage', workspace, url] as const,
};

/** The lineage a page shows. While a new selection loads, the previous graph stays on screen. */
export function useLineage(workspace: string, params: LineageParams) {
  const url = lineageApiUrl(workspace, params);
  return useQuery({
    queryKey: lineageKeys.view(workspace, url),
    queryFn: () => callApi(api.getLineage, { params: { workspace }, query: lineageApiQuery(params) }),
    placeholderData: keepPreviousData,
    retry: false,
  });
}

/** Nodes to focus on whose name or id contains `text`. */
export function useLineageSearch(workspace: string, text: string) {
  const q = text.trim();
  return useQuery({
    queryKey: ['lineage-search', workspace, q],
    queryFn: () => callApi(api.searchLineage, { params: { workspace }, query: { q, limit: 12 } }),
    enabled: q.length > 0,
    staleTime: 60_000,
  });
}
