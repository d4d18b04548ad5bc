import { useQuery } from '@tanstack/react-query';
import { getHostInfo } from '../../shared/http/host-info.ts';
import { listExtensions, listPlugins } from '../../shared/http/plugins.ts';
import { callApi } from './client.ts';

/** Query keys in one place so invalidation (live updates) finds them. */
export const queryKeys = {
  hostInfo: ['host-info'] as const,
  plugins: ['plugins'] as const,
  extensions: (workspace: string) => ['workspaces', workspace, 'extensions'] as const,
};

export const fetchHostInfo = () => callApi(getHostInfo, {});

export function useHostInfo() {
  return useQuery({ queryKey: queryKeys.hostInfo, queryFn: fetchHostInfo, staleTime: Infinity });
}

export function usePlugins() {
  return useQuery({ queryKey: queryKeys.plugins, queryFn: () => callApi(listPlugins, {}) });
}

/** The contributions to render in a workspace; the shell's source of truth for plugin UI. */
export function useExtensions(workspace: string) {
  return useQuery({
    queryKey: queryKeys.extensions(workspace),
    queryFn: () => callApi(listExtensions, { params: { workspace } }),
  });
}
