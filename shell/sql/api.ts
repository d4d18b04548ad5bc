import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { SavedQueryBody, SqlQueryBody, SqlQueryResult } from '@dbt-workbench/plugin-sdk/contracts/sql.schema';
import * as api from '../../shared/http/sql.ts';
import { callApi } from '../api/client.ts';

export const sqlKeys = {
  tables: (workspace: string) => ['workspaces', workspace, 'sql', 'tables'] as const,
  saved: (workspace: string) => ['workspaces', workspace, 'sql', 'saved'] as const,
};

/** Runs SQL in the workspace's DuckDB; rejects with an `ApiError` carrying DuckDB's message. */
export function runQuery(workspace: string, body: SqlQueryBody): Promise<SqlQueryResult> {
  return callApi(api.runSqlQuery, { params: { workspace }, body });
}

/** The workspace's tables (its seeds) and columns. */
export function useSqlTables(workspace: string) {
  return useQuery({
    queryKey: sqlKeys.tables(workspace),
    queryFn: () => callApi(api.listSqlTables, { params: { workspace } }),
  });
}

/** The signed-in user's saved queries in the workspace. */
export function useSavedQueries(workspace: string) {
  return useQuery({
    queryKey: sqlKeys.saved(workspace),
    queryFn: () => callApi(api.listSavedQueries, { params: { workspace } }),
  });
}

/** Create (no id), overwrite (id) and delete saved queries; each refreshes the list. */
export function useSavedQueryMutations(workspace: string) {
  const client = useQueryClient();
  const refresh = () => client.invalidateQueries({ queryKey: sqlKeys.saved(workspace) });
  const save = useMutation({
    mutationFn: ({ id, ...body }: SavedQueryBody & { id?: string }) =>
      id
        ? callApi(api.updateSavedQuery, { params: { workspace, id }, body })
        : callApi(api.createSavedQuery, { params: { workspace }, body }),
    onSuccess: refresh,
  });
  const remove = useMutation({
    mutationFn: (id: string) => callApi(api.deleteSavedQuery, { params: { workspace, id } }),
    onSuccess: refresh,
  });
  return { save, remove };
}
