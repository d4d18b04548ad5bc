// Digests, workspace health and schedule health, in one JSON file in the plugin's data folder (the only folder
// it may write). Small: at most `keep` digests per workspace, each with a handful of nodes.
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { RunDigest } from './digest.ts';

/** How a workspace's runs have gone lately, kept from `on-run-complete` events. */
export interface WorkspaceHealth {
  runs: number;
  lastRunId: string;
  lastStatus: string;
  /** Runs in a row that did not succeed, up to the last one. */
  failingStreak: number;
  lastSuccessAt: string | null;
}

/** How one schedule's runs have gone, kept from the scheduler's run-complete hook. */
export interface ScheduleHealth {
  id: string;
  name: string;
  cron: string;
  runs: number;
  lastRunId: string;
  lastStatus: string;
  failingStreak: number;
  lastSuccessAt: string | null;
}

interface State {
  digests: Record<string, RunDigest[]>;
  health: Record<string, WorkspaceHealth>;
  schedules: Record<string, Record<string, ScheduleHealth>>;
}

export interface DigestStore {
  /** Adds or replaces a digest (by id), newest first, keeping `keep` per workspace. */
  record(digest: RunDigest, keep: number): void;
  /** Whether some digest of the workspace covers this dbt invocation already. */
  knows(workspace: string, invocationId: string): boolean;
  list(workspace: string): RunDigest[];
  /** The newest digest of the workspace that has run results. */
  latest(workspace: string): RunDigest | undefined;
  noteRun(workspace: string, runId: string, status: string, at: string): WorkspaceHealth;
  noteSchedule(
    workspace: string,
    schedule: { id: string; name: string; cron: string },
    runId: string,
    status: string,
    at: string,
  ): ScheduleHealth;
  health(workspace: string): WorkspaceHealth | null;
  schedules(workspace: string): ScheduleHealth[];
}

const when = (d: RunDigest) => d.finishedAt ?? d.results?.generatedAt ?? d.recordedAt;

export function openDigestStore(dataDir: string): DigestStore {
  const file = path.join(dataDir, 'digests.json');
  const state: State = existsSync(file)
    ? { digests: {}, health: {}, schedules: {}, ...(JSON.parse(readFileSync(file, 'utf8')) as Partial<State>) }
    : { digests: {}, health: {}, schedules: {} };
  const save = () => {
    // Write beside, then rename: a crash mid-write leaves the previous file whole.
    writeFileSync(`${file}.tmp`, JSON.stringify(state));
    renameSync(`${file}.tmp`, file);
  };
  const streak = (before: number, status: string) => (status === 'success' ? 0 : before + 1);

  return {
    record(digest, keep) {
      const invocation = digest.results?.invocationId;
      const existing = state.digests[digest.workspace] ?? [];
      // Seen on disk after its run's own digest was made: that digest says more (run id, trigger, schedule).
      if (digest.source === 'artifacts' && existing.some((d) => d.results?.invocationId === invocation)) return;
      const others = existing.filter(
        (d) =>
          d.id !== digest.id &&
          // A run's own digest replaces the one made when its run_results.json was first seen on disk.
          !(
            digest.source === 'run' &&
            d.source === 'artifacts' &&
            invocation &&
            d.results?.invocationId === invocation
          ),
      );
      state.digests[digest.workspace] = [digest, ...others]
        .sort((a, b) => when(b).localeCompare(when(a)))
        .slice(0, keep);
      save();
    },
    knows: (workspace, invocationId) =>
      (state.digests[workspace] ?? []).some((d) => d.results?.invocationId === invocationId),
    list: (workspace) => state.digests[workspace] ?? [],
    latest: (workspace) => (state.digests[workspace] ?? []).find((d) => d.results !== null),
    noteRun(workspace, runId, status, at) {
      const before = state.health[workspace];
      const health: WorkspaceHealth = {
        runs: (before?.runs ?? 0) + 1,
        lastRunId: runId,
        lastStatus: status,
        failingStreak: streak(before?.failingStreak ?? 0, status),
        lastSuccessAt: status === 'success' ? at : (before?.lastSuccessAt ?? null),
      };
      state.health[workspace] = health;
      save();
      return health;
    },
    noteSchedule(workspace, schedule, runId, status, at) {
      const all = (state.schedules[workspace] ??= {});
      const before = all[schedule.id];
      const health: ScheduleHealth = {
        ...schedule,
        runs: (before?.runs ?? 0) + 1,
        lastRunId: runId,
        lastStatus: status,
        failingStreak: streak(before?.failingStreak ?? 0, status),
        lastSuccessAt: status === 'success' ? at : (before?.lastSuccessAt ?? null),
      };
      all[schedule.id] = health;
      save();
      return health;
    },
    health: (workspace) => state.health[workspace] ?? null,
    schedules: (workspace) => Object.values(state.schedules[workspace] ?? {}),
  };
}
