import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { NewScheduleBody, ScheduleUpdateBody } from '@dbt-workbench/plugin-sdk/contracts/runs.schema';
import * as api from '../../shared/http/schedules.ts';
import { callApi } from '../api/client.ts';

export const schedulesKey = (workspace: string) => ['workspaces', workspace, 'schedules'] as const;

/** The schedules of a workspace; refreshed every 10 s so "next run in…" and the last runs stay current. */
export function useSchedules(workspace: string) {
  return useQuery({
    queryKey: schedulesKey(workspace),
    queryFn: () => callApi(api.listSchedules, { params: { workspace } }),
    refetchInterval: 10_000,
  });
}

export function useCreateSchedule(workspace: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: NewScheduleBody) => callApi(api.createSchedule, { params: { workspace }, body }),
    onSuccess: () => client.invalidateQueries({ queryKey: schedulesKey(workspace) }),
  });
}

export function useUpdateSchedule(workspace: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ id, ...body }: ScheduleUpdateBody & { id: string }) =>
      callApi(api.updateSchedule, { params: { workspace, id }, body }),
    onSuccess: () => client.invalidateQueries({ queryKey: schedulesKey(workspace) }),
  });
}

export function useDeleteSchedule(workspace: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => callApi(api.deleteSchedule, { params: { workspace, id } }),
    onSuccess: () => client.invalidateQueries({ queryKey: schedulesKey(workspace) }),
  });
}

/** The scheduler triggers plugins added to a workspace, with their counts; refreshed every 10 s. */
export function usePluginTriggers(workspace: string) {
  return useQuery({
    queryKey: [...schedulesKey(workspace), 'triggers'],
    queryFn: () => callApi(api.listPluginTriggers, { params: { workspace } }),
    refetchInterval: 10_000,
  });
}
