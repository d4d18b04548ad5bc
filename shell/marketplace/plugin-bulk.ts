import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { BulkPluginRequest, BulkPluginResult } from '../../shared/plugin-bulk.schema.ts';
import { bulkPlugins } from '../../shared/http/plugins.ts';
import { callApi } from '../api/client.ts';
import { queryKeys } from '../api/queries.ts';

/** One plugin's outcome in a bulk action. */
export type BulkOutcome = BulkPluginResult['results'][number];

/**
 * Approves, enables or disables several plugins in one request (`POST /api/plugins/bulk`: each audited as alone, one
 * refresh for all). A disable is sent confirmed: the admin saw the plugins that depend on them before confirming.
 */
export function useBulkAction() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: async (request: Omit<BulkPluginRequest, 'confirm'>) =>
      (await callApi(bulkPlugins, { body: { ...request, confirm: request.action === 'disable' } })).results,
    onSettled: () => client.invalidateQueries({ queryKey: queryKeys.plugins }),
  });
}
