import { useMutation, useQuery } from '@tanstack/react-query';
import type { ToolCallResult, ToolList } from '../../shared/tools.schema.ts';
import { fetchJson } from '../api/client.ts';

const toolsUrl = (workspace: string) => `/api/workspaces/${encodeURIComponent(workspace)}/tools`;

/** The tools this user may use in the workspace (plugins active and enabled there, and the app's own); read when asked. */
export function useTools(workspace: string, enabled: boolean) {
  return useQuery({
    queryKey: ['workspaces', workspace, 'tools'],
    queryFn: () => fetchJson<ToolList>(toolsUrl(workspace)),
    enabled,
    staleTime: 30_000,
  });
}

/** Calls one tool with its arguments; the server checks them, runs it and audits the call. */
export function useToolCall(workspace: string, tool: string) {
  return useMutation({
    mutationFn: (args: Record<string, unknown>) =>
      fetchJson<ToolCallResult>(`${toolsUrl(workspace)}/${encodeURIComponent(tool)}/call`, {
        method: 'POST',
        body: JSON.stringify({ arguments: args }),
      }),
  });
}
