import { keepPreviousData, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef } from 'react';
import type { CatalogStatus, ModelListQuery } from '@dbt-workbench/plugin-sdk/contracts/catalog.schema';
import * as api from '../../shared/http/catalog.ts';
import { callApi } from '../api/client.ts';

/** Query keys of the catalog; all start with `['workspaces', ws, 'catalog']` so one prefix refetches them all. */
export const catalogKeys = {
  all: (ws: string) => ['workspaces', ws, 'catalog'] as const,
  status: (ws: string) => ['workspaces', ws, 'catalog', 'status'] as const,
  summary: (ws: string) => ['workspaces', ws, 'catalog', 'summary'] as const,
  models: (ws: string, query: ModelListQuery) => ['workspaces', ws, 'catalog', 'models', query] as const,
  node: (ws: string, uniqueId: string) => ['workspaces', ws, 'catalog', 'node', uniqueId] as const,
};

/** The artifact store's state; polled, so a reload on the server reaches open pages. */
export function useCatalogStatus(ws: string) {
  return useQuery({
    queryKey: catalogKeys.status(ws),
    queryFn: () => callApi(api.getCatalogStatus, { params: { workspace: ws } }),
    refetchInterval: 15_000,
    staleTime: 5_000,
  });
}

/**
 * Refetches every catalog query of the workspace when the server's index was rebuilt (artifacts changed on
 * disk), so pages show the new load without a reload. Use once per catalog page.
 */
export function useCatalogFreshness(ws: string): CatalogStatus | undefined {
  const status = useCatalogStatus(ws);
  const client = useQueryClient();
  const seen = useRef<string | null | undefined>(undefined);
  const loadedAt = status.data?.loadedAt;
  useEffect(() => {
    if (loadedAt === undefined) return;
    if (seen.current !== undefined && seen.current !== loadedAt) {
      void client.invalidateQueries({
        queryKey: catalogKeys.all(ws),
        predicate: (q) => q.queryKey[3] !== 'status',
      });
    }
    seen.current = loadedAt;
  }, [client, loadedAt, ws]);
  return status.data;
}

/** Counts by resource type and test status, for the dashboard card. */
export function useCatalogSummary(ws: string) {
  return useQuery({
    queryKey: catalogKeys.summary(ws),
    queryFn: () => callApi(api.getCatalogSummary, { params: { workspace: ws } }),
  });
}

/** `GET models` with only the filters that are set in the URL. */
export function useModels(ws: string, query: ModelListQuery) {
  const set = Object.fromEntries(Object.entries(query).filter(([, value]) => value)) as ModelListQuery;
  return useQuery({
    queryKey: catalogKeys.models(ws, query),
    queryFn: () => callApi(api.listModels, { params: { workspace: ws }, query: set }),
    placeholderData: keepPreviousData,
  });
}

/** One node's detail; a 404 (unknown node) is not retried. */
export function useNode(ws: string, uniqueId: string) {
  return useQuery({
    queryKey: catalogKeys.node(ws, uniqueId),
    queryFn: () => callApi(api.getNode, { params: { workspace: ws, uniqueId } }),
    retry: (count, error) => count < 1 && !('status' in error && error.status === 404),
  });
}
