import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { isActiveRun, type RunLogChunk, type RunStatus } from '@dbt-workbench/plugin-sdk/contracts/runs.schema';
import * as api from '../../shared/http/runs.ts';
import { ApiError, callApi } from '../api/client.ts';

/** Query keys of the runs pages; everything under `runsKey(ws)` is refreshed when a run starts or ends. */
export const runsKey = (workspace: string) => ['workspaces', workspace, 'runs'] as const;

/** The newest runs of a workspace; polls every 2 s while one of them is active. */
export function useRuns(workspace: string, limit = 50) {
  return useQuery({
    queryKey: [...runsKey(workspace), 'list', limit],
    queryFn: () => callApi(api.listRuns, { params: { workspace }, query: { limit } }),
    refetchInterval: (query) => (query.state.data?.runs.some((r) => isActiveRun(r.status)) ? 2000 : 15_000),
  });
}

/** One run; polls every second while it is queued or running. */
export function useRun(workspace: string, id: string) {
  return useQuery({
    queryKey: [...runsKey(workspace), 'run', id],
    queryFn: () => callApi(api.getRun, { params: { workspace, id } }),
    // A run that does not exist will not appear by asking again.
    retry: (count, error) => !(error instanceof ApiError && error.status === 404) && count < 1,
    refetchInterval: (query) => (query.state.data && isActiveRun(query.state.data.status) ? 1000 : false),
  });
}

/** Starts a run of the workspace's configured command. */
export function useStartRun(workspace: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: () => callApi(api.startRun, { params: { workspace } }),
    onSuccess: () => client.invalidateQueries({ queryKey: runsKey(workspace) }),
  });
}

export function useCancelRun(workspace: string, id: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: () => callApi(api.cancelRun, { params: { workspace, id } }),
    onSuccess: () => client.invalidateQueries({ queryKey: runsKey(workspace) }),
  });
}

export interface LiveLog {
  chunks: RunLogChunk[];
  /** The run's status as of the last poll; null before the first answer. */
  status: RunStatus | null;
  /** Why the last poll failed; polling goes on. */
  error: string | null;
}

/**
 * A run's log, read incrementally (`?after=<seq>`): at once while pages are full, every second while the run is
 * active, and not at all once it has ended and everything is read.
 */
export function useRunLog(workspace: string, id: string): LiveLog {
  const client = useQueryClient();
  const [log, setLog] = useState<LiveLog>({ chunks: [], status: null, error: null });
  useEffect(() => {
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let after = -1;
    let wasActive = true;
    setLog({ chunks: [], status: null, error: null });
    async function poll(): Promise<void> {
      try {
        const page = await callApi(api.getRunLog, { params: { workspace, id }, query: { after } });
        if (stopped) return;
        after = page.last;
        setLog((prev) => ({
          chunks: page.chunks.length ? [...prev.chunks, ...page.chunks] : prev.chunks,
          status: page.status,
          error: null,
        }));
        const active = isActiveRun(page.status);
        if (wasActive && !active) void client.invalidateQueries({ queryKey: runsKey(workspace) });
        wasActive = active;
        if (page.more) timer = setTimeout(poll, 0);
        else if (active) timer = setTimeout(poll, 1000);
      } catch (error) {
        if (stopped) return;
        setLog((prev) => ({ ...prev, error: (error as Error).message }));
        timer = setTimeout(poll, 3000);
      }
    }
    void poll();
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }, [workspace, id, client]);
  return log;
}
