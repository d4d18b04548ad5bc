import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { InstallPreview, InstallRequest, InstallResult } from '../../shared/installation.schema.ts';
import { listAudit } from '../../shared/http/audit.ts';
import { disablePlugin, rejectPlugin } from '../../shared/http/plugins.ts';
import * as api from '../../shared/http/plugin-installation.ts';
import { ApiError, callApi } from '../api/client.ts';
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

/** The request body of a source: the zip file's bytes as they are, or the JSON source. */
const bodyOf = (source: PackageSource) => ('file' in source ? source.file : source);
const dryRun = { dryRun: 'true' };

/** `POST /api/plugins/install` answers the installed plugin (201) without `dryRun`, a preview (200) with it. */
const mixedUp = () => new ApiError(200, 'response_invalid', 'The server answered an install for a preview, or back');
function installed(answer: InstallResult | InstallPreview): InstallResult {
  if ('status' in answer) throw mixedUp();
  return answer;
}
function previewed(answer: InstallResult | InstallPreview): InstallPreview {
  if (!('status' in answer)) throw mixedUp();
  return answer;
}

/** Says which source the admin picked, for buttons and messages. */
export function describeSource(source: PackageSource): string {
  if ('file' in source) return source.file.name;
  if (source.marketplace) return `the marketplace (${source.marketplace}${source.version ? ` ${source.version}` : ''})`;
  if (source.git) return `${source.git}${source.ref ? ` at ${source.ref}` : ''}`;
  return source.path ?? 'the package';
}

export function useCatalog() {
  return useQuery({ queryKey: installKeys.catalog, queryFn: () => callApi(api.listMarketplace, {}) });
}

export function useInstallations() {
  return useQuery({
    queryKey: installKeys.installations,
    queryFn: () => callApi(api.listInstallations, {}),
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
    mutationFn: async (source: PackageSource) => installed(await callApi(api.installPlugin, { body: bodyOf(source) })),
    onSettled: refresh,
  });
}

/** What installing a package would ask for and why it would be refused, without installing anything. */
export function useInstallPreview() {
  return useMutation({
    mutationFn: async (source: PackageSource) =>
      previewed(await callApi(api.installPlugin, { query: dryRun, body: bodyOf(source) })),
  });
}

/** The diff an update would make, without changing anything. */
export function useUpdatePreview() {
  return useMutation({
    mutationFn: ({ name, source }: { name: string; source: PackageSource }) =>
      callApi(api.updatePlugin, { params: { name }, query: dryRun, body: bodyOf(source) }),
  });
}

export function useUpdate() {
  const refresh = useRefreshAfter();
  return useMutation({
    mutationFn: ({ name, source }: { name: string; source: PackageSource }) =>
      callApi(api.updatePlugin, { params: { name }, body: bodyOf(source) }),
    onSettled: refresh,
  });
}

/** Approve-and-activate, discard or reject a pending update; remove a plugin. */
export function usePendingActions(name: string) {
  const refresh = useRefreshAfter();
  const params = { name };
  const approve = useMutation({
    mutationFn: (version: string) => callApi(api.approveUpdate, { params, body: { version } }),
    onSettled: refresh,
  });
  const discard = useMutation({
    mutationFn: () => callApi(api.discardUpdate, { params }),
    onSettled: refresh,
  });
  /** A newer build in the plugin's folder cannot be discarded from there: rejecting it is remembered instead. */
  const reject = useMutation({
    mutationFn: (version: string) => callApi(rejectPlugin, { params, body: { version } }),
    onSettled: refresh,
  });
  const remove = useMutation({
    mutationFn: () => callApi(api.removePlugin, { params }),
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

/** The running version, the kept versions a rollback can return to, and the pin. */
export function useVersions(name: string) {
  return useQuery({
    queryKey: [...installKeys.installations, 'versions', name],
    queryFn: () => callApi(api.listPluginVersions, { params: { name } }),
  });
}

/** The installed plugins that depend on this one (asked only while a remove or disable is being confirmed). */
export function useDependants(name: string, enabled: boolean) {
  return useQuery({
    queryKey: [...installKeys.installations, 'dependants', name],
    queryFn: () => callApi(api.listDependants, { params: { name } }),
    enabled,
  });
}

/** Rollback to a kept version, pin and unpin; remove or globally disable, confirmed despite dependants. */
export function useVersionActions(name: string) {
  const refresh = useRefreshAfter();
  const params = { name };
  const confirmed = { confirm: 'true' };
  const rollback = useMutation({
    mutationFn: (version: string | undefined) =>
      callApi(api.rollbackPlugin, { params, body: version ? { version } : {} }),
    onSettled: refresh,
  });
  const pin = useMutation({
    mutationFn: (pinned: boolean) => callApi(pinned ? api.pinPlugin : api.unpinPlugin, { params }),
    onSettled: refresh,
  });
  const remove = useMutation({
    mutationFn: () => callApi(api.removePlugin, { params, query: confirmed }),
    onSettled: refresh,
  });
  const disable = useMutation({
    mutationFn: () => callApi(disablePlugin, { params, query: confirmed }),
    onSettled: refresh,
  });
  return { rollback, pin, remove, disable };
}
