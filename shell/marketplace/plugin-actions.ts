import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { PluginDetail } from '../../shared/api.schema.ts';
import { fetchJson } from '../api/client.ts';
import { queryKeys } from '../api/queries.ts';

/** Admin actions on one plugin; each refreshes the plugin list (and open shells hear it from the server). */
export function usePluginActions(name: string) {
  const client = useQueryClient();
  const mutation = useMutation({
    mutationFn: (request: { path: string; method: 'POST' | 'PUT'; body?: unknown }) =>
      fetchJson<PluginDetail>(`/api/plugins/${encodeURIComponent(name)}/${request.path}`, {
        method: request.method,
        body: JSON.stringify(request.body ?? {}),
      }),
    onSettled: () => client.invalidateQueries({ queryKey: queryKeys.plugins }),
  });
  return {
    pending: mutation.isPending,
    error: mutation.error,
    approve: (version: string) => mutation.mutate({ path: 'approve', method: 'POST', body: { version } }),
    setGlobal: (enabled: boolean) => mutation.mutate({ path: enabled ? 'enable' : 'disable', method: 'POST' }),
    setWorkspace: (workspace: string, enabled: boolean | null) =>
      mutation.mutate({ path: `workspaces/${encodeURIComponent(workspace)}`, method: 'PUT', body: { enabled } }),
  };
}
