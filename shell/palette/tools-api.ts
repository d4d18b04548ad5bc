import { useMutation, useQuery } from '@tanstack/react-query';
import * as api from '../../shared/http/tools.ts';
import { callApi } from '../api/client.ts';

/** The tools this user may use in the workspace (plugins active and enabled there, and the app's own); read when asked. */
export function useTools(workspace: string, enabled: boolean) {
  return useQuery({
    queryKey: ['workspaces', workspace, 'tools'],
    queryFn: () => callApi(api.listTools, { params: { workspace } }),
    enabled,
    staleTime: 30_000,
  });
}

/** Calls one tool with its arguments; the server checks them, runs it and audits the call. */
export function useToolCall(workspace: string, tool: string) {
  return useMutation({
    mutationFn: (args: Record<string, unknown>) =>
      callApi(api.callTool, { params: { workspace, tool }, body: { arguments: args } }),
  });
}
