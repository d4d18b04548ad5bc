import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type {
  AuditPage,
  InstallationList,
  InstallRequest,
  InstallResult,
  MarketplaceList,
  RemoveResult,
  UpdateResult,
} from '../../shared/installation.schema.ts';
import { fetchJson } from '../api/client.ts';
import { queryKeys } from '../api/queries.ts';

/**
 * Query keys under `plugins`, so every registry change the server pushes (which invalidates `plugins`)
 * refreshes the marketplace and installations too.
 */
export const installKeys = {
  catalog: [...queryKeys.plugins, 'marketplace'] as const,
  installations: [...queryKeys.plugins, 'installations'] as const,
  audit: (filters: AuditFilters) => ['admin', 'audit', filters] as const,
};

/** A package source as the admin picked it: a zip file from their computer, or a JSON source. */
export type PackageSource = { file: File } | InstallRequest;

function sourceInit(source: PackageSource): RequestInit {
  if ('file' in source) {
    return { method: 'POST', body: source.file, headers: { 'content-type': 'application/zip' } };
  }
  return { method: 'POST', body: JSON.stringify(source) };
}

/** Says which source the admin picked, for buttons and messages. */
export function describeSource(source: PackageSource): string {
  if ('file' in source) return source.file.name;
  if (source.marketplace) return `the marketplace (${source.marketplace}${source.version ? ` ${source.version}` : ''})`;
  if (source.git) return `${source.git}${source.ref ? ` at ${source.ref}` : ''}`;
  return source.path ?? 'the package';
}

export function useCatalog() {
  return useQuery({ queryKey: installKeys.catalog, queryFn: () => fetchJson<MarketplaceList>('/api/marketplace') });
}

export function useInstallations() {
  return useQuery({
    queryKey: installKeys.installations,
    queryFn: () => fetchJson<InstallationList>('/api/marketplace/installations'),
  });
}

/** Invalidates everything an install, update or remove changes. */
function useRefreshAfter() {
  const client = useQueryClient();
  return () => client.invalidateQueries({ queryKey: queryKeys.plugins });
}

export function useInstall() {
  const refresh = useRefreshAfter();
  return useMutation({
    mutationFn: (source: PackageSource) => fetchJson<InstallResult>('/api/plugins/install', sourceInit(source)),
    onSettled: refresh,
  });
}

const updateUrl = (name: string, dryRun: boolean) =>
  `/api/plugins/${encodeURIComponent(name)}/update${dryRun ? '?dryRun=true' : ''}`;

/** The diff an update would make, without changing anything. */
export function useUpdatePreview() {
  return useMutation({
    mutationFn: ({ name, source }: { name: string; source: PackageSource }) =>
      fetchJson<UpdateResult>(updateUrl(name, true), sourceInit(source)),
  });
}

export function useUpdate() {
  const refresh = useRefreshAfter();
  return useMutation({
    mutationFn: ({ name, source }: { name: string; source: PackageSource }) =>
      fetchJson<UpdateResult>(updateUrl(name, false), sourceInit(source)),
    onSettled: refresh,
  });
}

/** Approve-and-activate or discard a pending update; remove a plugin. */
export function usePendingActions(name: string) {
  const refresh = useRefreshAfter();
  const base = `/api/plugins/${encodeURIComponent(name)}`;
  const approve = useMutation({
    mutationFn: (version: string) =>
      fetchJson<UpdateResult>(`${base}/update/approve`, { method: 'POST', body: JSON.stringify({ version }) }),
    onSettled: refresh,
  });
  const discard = useMutation({
    mutationFn: () => fetchJson<unknown>(`${base}/update`, { method: 'DELETE' }),
    onSettled: refresh,
  });
  const remove = useMutation({
    mutationFn: () => fetchJson<RemoveResult>(base, { method: 'DELETE' }),
    onSettled: refresh,
  });
  return { approve, discard, remove };
}

export interface AuditFilters {
  action: string;
  target: string;
}

export function useAudit(filters: AuditFilters, limit: number) {
  return useQuery({
    queryKey: [...installKeys.audit(filters), limit],
    queryFn: () => {
      const params = new URLSearchParams({ limit: String(limit) });
      if (filters.action) params.set('action', filters.action);
      if (filters.target) params.set('target', filters.target);
      return fetchJson<AuditPage>(`/api/audit?${params}`);
    },
  });
}
