import { useQuery } from '@tanstack/react-query';
import type { HostInfo, PluginList, WorkspaceExtensions } from '../../shared/api.schema.ts';
import { fetchJson } from './client.ts';

/** Query keys in one place so invalidation (live updates) finds them. */
export const queryKeys = {
  hostInfo: ['host-info'] as const,
  plugins: ['plugins'] as const,
  extensions: (workspace: string) => ['workspaces', workspace, 'extensions'] as const,
};

export const fetchHostInfo = () => fetchJson<HostInfo>('/api/info');

export function useHostInfo() {
  return useQuery({ queryKey: queryKeys.hostInfo, queryFn: fetchHostInfo, staleTime: Infinity });
}

export function usePlugins() {
  return useQuery({ queryKey: queryKeys.plugins, queryFn: () => fetchJson<PluginList>('/api/plugins') });
}

/** The contributions to render in a workspace; the shell's source of truth for plugin UI. */
export function useExtensions(workspace: string) {
  return useQuery({
    queryKey: queryKeys.extensions(workspace),
    queryFn: () => fetchJson<WorkspaceExtensions>(`/api/workspaces/${encodeURIComponent(workspace)}/extensions`),
  });
}
