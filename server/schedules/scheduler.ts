import { Cron } from 'croner';
import type { Logger } from 'pino';
import type { Run, RunStatus, Schedule } from '@dbt-workbench/plugin-sdk/contracts/runs.schema';
import { createHookPoint, type Disposer, type HookOutcome, type HookPoint } from '../hooks/hook-point.ts';
import type { RunService } from '../runs/service.ts';
import type { Workspace } from '../workspaces/config.ts';
import type { FiringClaims } from './firing-claims.ts';
import type { StoredSchedule } from './repository.ts';

/** Given to `scheduleRunStart` handlers when a schedule has started a run. */
export interface ScheduleRunStartPayload {
  workspace: Workspace;
  schedule: StoredSchedule;
  run: Run;
}

/** Given to `scheduleRunComplete` handlers when a run a schedule started has ended. */
export interface ScheduleRunCompletePayload extends ScheduleRunStartPayload {
  status: RunStatus;
}

/** The scheduler's seams. A failing handler is logged and never stops the schedule or changes the run. */
export interface ScheduleHooks {
  scheduleRunStart: HookPoint<ScheduleRunStartPayload>;
  scheduleRunComplete: HookPoint<ScheduleRunCompletePayload>;
}

export function createScheduleHooks(): ScheduleHooks {
  return {
    scheduleRunStart: createHookPoint('scheduleRunStart'),
    scheduleRunComplete: createHookPoint('scheduleRunComplete'),
  };
}

/** Keeps one croner job per enabled schedule and starts a run through the RunService when it fires. */
export interface Scheduler {
  /** Starts, replaces or stops the job of a schedule after it was loaded, created or changed. */
  sync(schedule: StoredSchedule): void;
  /** Stops the job of a deleted schedule. */
  remove(id: string): void;
  /** Makes the jobs those of `schedules`, every schedule there is: at start, and after missing changes. */
  reload(schedules: readonly StoredSchedule[]): void;
  /** The schedule with its next fire time (null while disabled). */
  describe(schedule: StoredSchedule): Schedule;
  /** Stops every job and stops listening for run ends. */
  stop(): void;
}

export function createScheduler(deps: {
  runs: RunService;
  hooks: ScheduleHooks;
  workspaces: readonly Workspace[];
  /** Which server on the database starts each firing. */
  claims: FiringClaims;
  /** The schedule as the database holds it now: another server may have changed or deleted it. */
  current(schedule: StoredSchedule): Promise<StoredSchedule | undefined>;
  logger: Logger;
}): Scheduler {
  const { runs, hooks, workspaces, claims, logger } = deps;
  const jobs = new Map<string, { job: Cron; schedule: StoredSchedule }>();
  /** Runs started by a schedule and not ended yet: run id to its schedule. */
  const inFlight = new Map<string, { schedule: StoredSchedule; workspace: Workspace }>();
  let stopped = false;

  function report(point: string, outcomes: HookOutcome<void>[], schedule: StoredSchedule): void {
    for (const o of outcomes.filter((o) => !o.ok)) {
      logger.warn({ hook: point, owner: o.owner, schedule: schedule.id, error: o.error }, `${point} hook failed`);
    }
  }

  async function fire(schedule: StoredSchedule, job: Cron): Promise<void> {
    if (stopped) return;
    // The firing's time on the pattern, which every server computes alike (a timer goes off a little late).
    const fireAt = job.previousRuns(1, new Date(Date.now() + 1))[0];
    const now = await deps.current(schedule);
    const fields = (s: StoredSchedule) => [s.enabled, s.cron, s.timezone, s.name, s.workspace].join('|');
    if (!now || fields(now) !== fields(schedule)) {
      logger.info({ schedule: schedule.id }, `schedule "${schedule.name}" was changed on another server: resynced`);
      if (now) sync(now);
      else remove(schedule.id);
      return;
    }
    if (!fireAt || !(await claims.claim(schedule.id, fireAt))) return;
    // Looked up at each firing: admins may have re-pointed or removed the workspace since the schedule was set.
    const workspace = workspaces.find((w) => w.name === schedule.workspace);
    if (!workspace) {
      logger.warn({ schedule: schedule.id }, `schedule "${schedule.name}" skipped: its workspace was removed`);
      return;
    }
    const going = [...inFlight.values()].some((f) => f.schedule.id === schedule.id);
    if (going) {
      logger.info({ schedule: schedule.id }, `schedule "${schedule.name}" skipped: its previous run has not ended`);
      return;
    }
    const run = await runs.start(workspace, { kind: 'schedule', schedule: { id: schedule.id, name: schedule.name } });
    inFlight.set(run.id, { schedule, workspace });
    logger.info({ schedule: schedule.id, run: run.id }, `schedule "${schedule.name}" started a run`);
    report('scheduleRunStart', await hooks.scheduleRunStart.run({ workspace, schedule, run }), schedule);
  }

  const unlisten: Disposer = runs.hooks.runComplete.register({
    owner: 'core',
    async handle({ run, status }) {
      const started = inFlight.get(run.id);
      if (!started) return;
      inFlight.delete(run.id);
      const payload = { ...started, run, status };
      report('scheduleRunComplete', await hooks.scheduleRunComplete.run(payload), started.schedule);
    },
  });

  function remove(id: string): void {
    jobs.get(id)?.job.stop();
    jobs.delete(id);
  }

  function sync(schedule: StoredSchedule): void {
    remove(schedule.id);
    if (stopped || !schedule.enabled) return;
    const workspace = workspaces.find((w) => w.name === schedule.workspace);
    if (!workspace) {
      logger.warn({ schedule: schedule.id }, `schedule of unknown workspace ${schedule.workspace} is not started`);
      return;
    }
    const job = new Cron(
      schedule.cron,
      {
        timezone: schedule.timezone,
        protect: true,
        catch: (error) => logger.error({ err: error, schedule: schedule.id }, 'scheduled run could not start'),
      },
      (self: Cron) => fire(schedule, self),
    );
    jobs.set(schedule.id, { job, schedule });
  }

  return {
    sync,
    remove,

    reload(schedules) {
      const kept = new Set(schedules.map((s) => s.id));
      for (const id of [...jobs.keys()]) if (!kept.has(id)) remove(id);
      for (const schedule of schedules) sync(schedule);
    },

    describe(schedule) {
      let next: Date | null = null;
      if (schedule.enabled) {
        const job =
          jobs.get(schedule.id)?.job ?? new Cron(schedule.cron, { paused: true, timezone: schedule.timezone });
        next = job.nextRun();
        if (!jobs.has(schedule.id)) job.stop();
      }
      return { ...schedule, nextRunAt: next?.toISOString() ?? null };
    },

    stop() {
      stopped = true;
      for (const id of [...jobs.keys()]) remove(id);
      unlisten();
    },
  };
}
