import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type {
  SavedQuery,
  SavedQueryBody,
  SavedQueryList,
  SqlQueryBody,
  SqlQueryResult,
  SqlTables,
} from '@dbt-workbench/plugin-sdk/contracts/sql.schema';
import { fetchJson } from '../api/client.ts';

const base = (workspace: string) => `/api/workspaces/${encodeURIComponent(workspace)}/sql`;

export const sqlKeys = {
  tables: (workspace: string) => ['workspaces', workspace, 'sql', 'tables'] as const,
  saved: (workspace: string) => ['workspaces', workspace, 'sql', 'saved'] as const,
};

/** Runs SQL in the workspace's DuckDB; rejects with an `ApiError` carrying DuckDB's message. */
export function runQuery(workspace: string, body: SqlQueryBody): Promise<SqlQueryResult> {
  return fetchJson<SqlQueryResult>(`${base(workspace)}/query`, { method: 'POST', body: JSON.stringify(body) });
}

/** The workspace's tables (its seeds) and columns. */
export function useSqlTables(workspace: string) {
  return useQuery({
    queryKey: sqlKeys.tables(workspace),
    queryFn: () => fetchJson<SqlTables>(`${base(workspace)}/tables`),
  });
}

/** The signed-in user's saved queries in the workspace. */
export function useSavedQueries(workspace: string) {
  return useQuery({
    queryKey: sqlKeys.saved(workspace),
    queryFn: () => fetchJson<SavedQueryList>(`${base(workspace)}/saved`),
  });
}

/** Create (no id), overwrite (id) and delete saved queries; each refreshes the list. */
export function useSavedQueryMutations(workspace: string) {
  const client = useQueryClient();
  const refresh = () => client.invalidateQueries({ queryKey: sqlKeys.saved(workspace) });
  const save = useMutation({
    mutationFn: ({ id, ...body }: SavedQueryBody & { id?: string }) =>
      fetchJson<SavedQuery>(id ? `${base(workspace)}/saved/${encodeURIComponent(id)}` : `${base(workspace)}/saved`, {
        method: id ? 'PUT' : 'POST',
        body: JSON.stringify(body),
      }),
    onSuccess: refresh,
  });
  const remove = useMutation({
    mutationFn: (id: string) =>
      fetchJson<{ ok: true }>(`${base(workspace)}/saved/${encodeURIComponent(id)}`, { method: 'DELETE' }),
    onSuccess: refresh,
  });
  return { save, remove };
}
