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
    /** The plugin as a whole (`plugin.enable` in the audit log). */
    enable: () => mutation.mutate({ path: 'enable', method: 'POST' }),
    /** The default of workspaces without a rule of their own (`plugin.default-on`/`-off` in the audit log). */
    setDefault: (enabled: boolean, confirm = false) =>
      mutation.mutate({ path: `default${confirm ? '?confirm=true' : ''}`, method: 'PUT', body: { enabled } }),
    setWorkspace: (workspace: string, enabled: boolean | null) =>
      mutation.mutate({ path: `workspaces/${encodeURIComponent(workspace)}`, method: 'PUT', body: { enabled } }),
  };
}
