import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { PluginDetail } from '../../shared/api.schema.ts';
import * as api from '../../shared/http/plugins.ts';
import { callApi } from '../api/client.ts';
import { queryKeys } from '../api/queries.ts';

/** Admin actions on one plugin; each refreshes the plugin list (and open shells hear it from the server). */
export function usePluginActions(name: string) {
  const client = useQueryClient();
  const mutation = useMutation({
    mutationFn: (call: () => Promise<PluginDetail>) => call(),
    onSettled: () => client.invalidateQueries({ queryKey: queryKeys.plugins }),
  });
  const params = { name };
  return {
    pending: mutation.isPending,
    error: mutation.error,
    approve: (version: string) => mutation.mutate(() => callApi(api.approvePlugin, { params, body: { version } })),
    /** Says no to the version waiting for its first approval: it stays pending, never runs, and stops asking. */
    reject: (version: string) => mutation.mutate(() => callApi(api.rejectPlugin, { params, body: { version } })),
    /** The plugin as a whole (`plugin.enable` in the audit log). */
    enable: () => mutation.mutate(() => callApi(api.enablePlugin, { params })),
    /** The default of workspaces without a rule of their own (`plugin.default-on`/`-off` in the audit log). */
    setDefault: (enabled: boolean, confirm = false) =>
      mutation.mutate(() =>
        callApi(api.setPluginDefault, { params, query: confirm ? { confirm: 'true' } : {}, body: { enabled } }),
      ),
    setWorkspace: (workspace: string, enabled: boolean | null) =>
      mutation.mutate(() => callApi(api.setPluginInWorkspace, { params: { name, workspace }, body: { enabled } })),
  };
}
