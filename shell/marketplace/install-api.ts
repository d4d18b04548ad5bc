import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type {
  InstallationList,
  InstallPreview,
  InstallRequest,
  InstallResult,
  MarketplaceList,
  RemoveResult,
  UpdateResult,
} from '../../shared/installation.schema.ts';
import type { DependantList, PluginVersions } from '../../shared/rollback.schema.ts';
import { listAudit } from '../../shared/http/audit.ts';
import { callApi, fetchJson } from '../api/client.ts';
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

/** What installing a package would ask for and why it would be refused, without installing anything. */
export function useInstallPreview() {
  return useMutation({
    mutationFn: (source: PackageSource) =>
      fetchJson<InstallPreview>('/api/plugins/install?dryRun=true', sourceInit(source)),
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

/** Approve-and-activate, discard or reject a pending update; remove a plugin. */
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
  /** A newer build in the plugin's folder cannot be discarded from there: rejecting it is remembered instead. */
  const reject = useMutation({
    mutationFn: (version: string) =>
      fetchJson<unknown>(`${base}/reject`, { method: 'POST', body: JSON.stringify({ version }) }),
    onSettled: refresh,
  });
  const remove = useMutation({
    mutationFn: () => fetchJson<RemoveResult>(base, { method: 'DELETE' }),
    onSettled: refresh,
  });
  return { approve, discard, reject, remove };
}

export interface AuditFilters {
  action: string;
  target: string;
}

export function useAudit(filters: AuditFilters, limit: number) {
  return useQuery({
    queryKey: [...installKeys.audit(filters), limit],
    queryFn: () =>
      callApi(listAudit, {
        query: { limit, action: filters.action || undefined, target: filters.target || undefined },
      }),
  });
}

const pluginUrl = (name: string) => `/api/plugins/${encodeURIComponent(name)}`;

/** The running version, the kept versions a rollback can return to, and the pin. */
export function useVersions(name: string) {
  return useQuery({
    queryKey: [...installKeys.installations, 'versions', name],
    queryFn: () => fetchJson<PluginVersions>(`${pluginUrl(name)}/versions`),
  });
}

/** The installed plugins that depend on this one (asked only while a remove or disable is being confirmed). */
export function useDependants(name: string, enabled: boolean) {
  return useQuery({
    queryKey: [...installKeys.installations, 'dependants', name],
    queryFn: () => fetchJson<DependantList>(`${pluginUrl(name)}/dependants`),
    enabled,
  });
}

/** Rollback to a kept version, pin and unpin; remove or globally disable, confirmed despite dependants. */
export function useVersionActions(name: string) {
  const refresh = useRefreshAfter();
  const post = (path: string, body: unknown = {}) =>
    fetchJson<unknown>(`${pluginUrl(name)}/${path}`, { method: 'POST', body: JSON.stringify(body) });
  const rollback = useMutation({
    mutationFn: (version: string | undefined) => post('rollback', version ? { version } : {}),
    onSettled: refresh,
  });
  const pin = useMutation({ mutationFn: (pinned: boolean) => post(pinned ? 'pin' : 'unpin'), onSettled: refresh });
  const remove = useMutation({
    mutationFn: () => fetchJson<RemoveResult>(`${pluginUrl(name)}?confirm=true`, { method: 'DELETE' }),
    onSettled: refresh,
  });
  const disable = useMutation({ mutationFn: () => post('disable?confirm=true'), onSettled: refresh });
  return { rollback, pin, remove, disable };
}
