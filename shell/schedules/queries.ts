import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type {
  NewScheduleBody,
  Schedule,
  ScheduleList,
  ScheduleUpdateBody,
} from '@dbt-workbench/plugin-sdk/contracts/runs.schema';
import type { PluginTriggerList } from '../../shared/plugin-triggers.schema.ts';
import { fetchJson } from '../api/client.ts';

const api = (workspace: string, path = '') => `/api/workspaces/${encodeURIComponent(workspace)}/schedules${path}`;

export const schedulesKey = (workspace: string) => ['workspaces', workspace, 'schedules'] as const;

/** The schedules of a workspace; refreshed every 10 s so "next run in…" and the last runs stay current. */
export function useSchedules(workspace: string) {
  return useQuery({
    queryKey: schedulesKey(workspace),
    queryFn: () => fetchJson<ScheduleList>(api(workspace)),
    refetchInterval: 10_000,
  });
}

export function useCreateSchedule(workspace: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: NewScheduleBody) =>
      fetchJson<Schedule>(api(workspace), { method: 'POST', body: JSON.stringify(body) }),
    onSuccess: () => client.invalidateQueries({ queryKey: schedulesKey(workspace) }),
  });
}

export function useUpdateSchedule(workspace: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ id, ...body }: ScheduleUpdateBody & { id: string }) =>
      fetchJson<Schedule>(api(workspace, `/${encodeURIComponent(id)}`), { method: 'PUT', body: JSON.stringify(body) }),
    onSuccess: () => client.invalidateQueries({ queryKey: schedulesKey(workspace) }),
  });
}

export function useDeleteSchedule(workspace: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => fetchJson<void>(api(workspace, `/${encodeURIComponent(id)}`), { method: 'DELETE' }),
    onSuccess: () => client.invalidateQueries({ queryKey: schedulesKey(workspace) }),
  });
}

/** The scheduler triggers plugins added to a workspace, with their counts; refreshed every 10 s. */
export function usePluginTriggers(workspace: string) {
  return useQuery({
    queryKey: [...schedulesKey(workspace), 'triggers'],
    queryFn: () => fetchJson<PluginTriggerList>(api(workspace, '/triggers')),
    refetchInterval: 10_000,
  });
}
