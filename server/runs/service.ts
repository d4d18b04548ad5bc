import { existsSync } from 'node:fs';
import type { Logger } from 'pino';
import { isActiveRun, type Run, type RunLog, type RunStatus } from '@dbt-workbench/plugin-sdk/contracts/runs.schema';
import type { Database } from '../db/database.ts';
import { createHookPoint, type HookOutcome, type HookPoint } from '../hooks/hook-point.ts';
import { HttpError } from '../http/errors.ts';
import type { Workspace } from '../workspaces/config.ts';
import { runEnvironment, startChild, type ChildExit, type RunningChild } from './child.ts';
import { createLogWriter, type LogWriter } from './log-writer.ts';
import { HEARTBEAT_MS, startServerPresence, type ServerPresence } from '../db/server-presence.ts';
import { createRunsRepository, type RunEnding, type RunsRepository, type RunTrigger } from './repository.ts';

export type { RunTrigger } from './repository.ts';

/** Given to `runStart` handlers when a run's command is about to start. */
export interface RunStartPayload {
  workspace: Workspace;
  run: Run;
}

/** Given to `runPostProcess` and `runComplete` handlers once a run has ended and its status is stored. */
export interface RunCompletePayload {
  workspace: Workspace;
  run: Run;
  status: RunStatus;
}

/** The seams of the run lifecycle. A failing handler is logged and never changes a run's outcome. */
export interface RunHooks {
  runStart: HookPoint<RunStartPayload>;
  /** Runs first after the end: ingest run_results.json, publish metrics and the like. */
  runPostProcess: HookPoint<RunCompletePayload>;
  runComplete: HookPoint<RunCompletePayload>;
}

/** What the run service needs from the app it serves. */
export interface RunServiceDeps {
  db: Database;
  logger: Logger;
  workspaces: readonly Workspace[];
}

export interface RunServiceOptions {
  /** Time between SIGTERM and SIGKILL when a run is cancelled or the server stops. */
  graceMs?: number;
  /** How long the run waits for one hook point's handlers before it goes on without them. */
  hookTimeoutMs?: number;
  /** Environment the commands get; `runEnvironment()` of the server by default. */
  env?: Record<string, string>;
}

/**
 * Executes runs: one at a time per workspace, later ones queued, every status change and output line stored.
 * Runs belong to the server, not to a browser: closing a page changes nothing.
 */
export interface RunService {
  readonly hooks: RunHooks;
  /** Queues a run of the workspace's `runCommand`; it starts when the workspace has no other run going. */
  start(workspace: Workspace, trigger: RunTrigger): Promise<Run>;
  get(workspace: string, id: string): Promise<Run | undefined>;
  list(workspace: string, options?: { limit?: number; before?: string }): Promise<Run[]>;
  /** Log chunks after seq `after`, with the run's status, for live polling. */
  log(workspace: string, id: string, after: number, limit: number): Promise<RunLog | undefined>;
  /** Cancels a queued run, or terminates a running one (SIGTERM, then SIGKILL). 404/409 as HttpErrors. */
  cancel(workspace: string, id: string, by: { username: string }): Promise<Run>;
  /** Resolves with the run once it has ended (at once if it already has). */
  finished(workspace: string, id: string): Promise<Run>;
  /** Connects the service to an app's database: runs the server left queued or running become `interrupted`. */
  open(deps: RunServiceDeps): Promise<void>;
  /** This server's id among those on the database (its heartbeat row in `servers`); undefined until opened. */
  serverId(): string | undefined;
  /** Stops taking runs; queued ones and running ones (after terminating their process) become `interrupted`. */
  close(): Promise<void>;
}

interface Job {
  run: Run;
  workspace: Workspace;
  log: LogWriter;
  child?: RunningChild;
  /** Set by cancel or shutdown before the process is terminated: how the run ends. */
  stop?: RunEnding;
}

interface Lane {
  active: Job | null;
  queue: Job[];
}

interface OpenState {
  deps: RunServiceDeps;
  repo: RunsRepository;
  lanes: Map<string, Lane>;
  closing: boolean;
  running: Set<Promise<void>>;
  /** This server among those on the database: the runs it executes are its own. */
  presence: ServerPresence;
  /** Looks for runs of servers that died meanwhile (another replica on the same database). */
  sweep: NodeJS.Timeout;
}

const PAGE_TEXT = 1_000_000;

const INTERRUPTED_RUNNING =
  'The server stopped while this run was running (a crash or a restart), so its outcome is unknown. Start a new run.';
const INTERRUPTED_QUEUED = 'The server stopped before this run started. Start a new run.';

/** A run service; open it with an app's database before use. One app at a time. */
export function createRunService(options: RunServiceOptions = {}): RunService {
  const graceMs = options.graceMs ?? 10_000;
  const hookTimeoutMs = options.hookTimeoutMs ?? 30_000;
  const hooks: RunHooks = {
    runStart: createHookPoint('runStart'),
    runPostProcess: createHookPoint('runPostProcess'),
    runComplete: createHookPoint('runComplete'),
  };
  const waiters = new Map<string, ((run: Run) => void)[]>();
  let state: OpenState | null = null;

  function opened(): OpenState {
    if (!state) throw new Error('The run service is not open');
    return state;
  }

  function lane(s: OpenState, workspace: string): Lane {
    let l = s.lanes.get(workspace);
    if (!l) s.lanes.set(workspace, (l = { active: null, queue: [] }));
    return l;
  }

  /** Runs a hook point's handlers; failures are logged, and a point that hangs is left behind after a while. */
  async function runHooks<P>(s: OpenState, point: HookPoint<P>, payload: P, run: Run): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<'late'>((resolve) => (timer = setTimeout(() => resolve('late'), hookTimeoutMs)));
    const outcomes = await Promise.race([point.run(payload), late]);
    clearTimeout(timer);
    if (outcomes === 'late') {
      s.deps.logger.warn(
        { hook: point.name, run: run.id },
        `${point.name} hooks did not finish in ${hookTimeoutMs} ms`,
      );
      return;
    }
    for (const o of outcomes.filter((o: HookOutcome<void>) => !o.ok)) {
      s.deps.logger.warn(
        { hook: point.name, owner: o.owner, run: run.id, error: o.error },
        `${point.name} hook failed`,
      );
    }
  }

  function newLog(s: OpenState, runId: string, lastSeq = -1): LogWriter {
    return createLogWriter(
      (chunks) => s.repo.appendChunks(runId, chunks),
      (error) => s.deps.logger.error({ err: error, run: runId }, 'could not store run log'),
      { lastSeq },
    );
  }

  async function end(s: OpenState, job: Job, ending: RunEnding): Promise<void> {
    await job.log.flush();
    await s.repo.finish(job.run.id, ending);
    const run = (await s.repo.get(job.workspace.name, job.run.id)) ?? { ...job.run, ...ending };
    for (const resolve of waiters.get(run.id) ?? []) resolve(run);
    waiters.delete(run.id);
    // The next run of the workspace waits for these, so post-processing reads this run's artifacts, not the next's.
    const payload = { workspace: job.workspace, run, status: run.status };
    await runHooks(s, hooks.runPostProcess, payload, run);
    await runHooks(s, hooks.runComplete, payload, run);
  }

  function endingOf(exit: ChildExit): RunEnding {
    if (exit.error) return { status: 'failed', exitCode: null, error: exit.error };
    if (exit.code === 0) return { status: 'success', exitCode: 0, error: null };
    const how = exit.code !== null ? `exited with code ${exit.code}` : `was killed by ${exit.signal}`;
    return { status: 'failed', exitCode: exit.code, error: `The command ${how}` };
  }

  async function execute(s: OpenState, job: Job): Promise<void> {
    const { run, workspace, log } = job;
    if (!(await s.repo.markRunning(run.id))) return;
    job.run = (await s.repo.get(workspace.name, run.id)) ?? run;
    log.line('system', `$ ${run.command.join(' ')}`);
    await runHooks(s, hooks.runStart, { workspace, run: job.run }, job.run);
    if (job.stop) return end(s, job, job.stop); // cancelled or shut down while the hooks ran
    if (!existsSync(workspace.projectDir)) {
      const error = `The project folder of workspace ${workspace.name} does not exist: ${workspace.projectDir}`;
      log.line('system', error);
      return end(s, job, { status: 'failed', exitCode: null, error });
    }
    const started = performance.now();
    job.child = startChild({
      argv: run.command,
      cwd: workspace.projectDir,
      env: options.env ?? runEnvironment(),
      onLine: (stream, line) => log.line(stream, line),
    });
    const exit = await job.child.exited;
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    const ending = job.stop ?? endingOf(exit);
    const how = exit.error ?? (exit.code !== null ? `exit code ${exit.code}` : `signal ${exit.signal}`);
    log.line('system', `Process ended after ${seconds}s (${how}): run ${ending.status}`);
    await end(s, job, { ...ending, exitCode: exit.code });
  }

  /** Starts the next queued run of a workspace when none is going. */
  function pump(s: OpenState, workspace: string): void {
    const l = lane(s, workspace);
    if (l.active || s.closing) return;
    const job = l.queue.shift();
    if (!job) return;
    l.active = job;
    const work = execute(s, job)
      .catch(async (error: unknown) => {
        s.deps.logger.error({ err: error, run: job.run.id }, 'run failed inside the server');
        void job.child?.terminate(0);
        const message = `The server failed to execute this run: ${(error as Error).message}`;
        await end(s, job, { status: 'failed', exitCode: null, error: message }).catch(() => undefined);
      })
      .finally(() => {
        l.active = null;
        s.running.delete(work);
        pump(s, workspace);
      });
    s.running.add(work);
  }

  async function markInterrupted(s: OpenState): Promise<void> {
    const left = await s.repo.unfinished(s.presence.id, s.presence.goneBefore());
    const marked: string[] = [];
    for (const { id, status } of left) {
      const error = status === 'running' ? INTERRUPTED_RUNNING : INTERRUPTED_QUEUED;
      // Several servers may find the same run: the one whose change lands writes the line.
      if (!(await s.repo.finish(id, { status: 'interrupted', exitCode: null, error }))) continue;
      const log = newLog(s, id, await s.repo.lastSeq(id));
      log.line('system', error);
      await log.flush();
      marked.push(id);
    }
    if (marked.length > 0)
      s.deps.logger.warn({ runs: marked }, 'marked runs left by a server that stopped as interrupted');
  }

  async function finished(workspace: string, id: string): Promise<Run> {
    // Waits first, then looks: a run that ends between the two still wakes this waiter.
    let wake: (run: Run) => void = () => {};
    const ended = new Promise<Run>((resolve) => (wake = resolve));
    waiters.set(id, [...(waiters.get(id) ?? []), wake]);
    const run = await opened().repo.get(workspace, id);
    if (!run || !isActiveRun(run.status)) {
      waiters.set(
        id,
        (waiters.get(id) ?? []).filter((w) => w !== wake),
      );
      if (!run) throw new HttpError('not_found', `No run ${id} in workspace ${workspace}`);
      return run;
    }
    return ended;
  }

  return {
    hooks,

    async open(deps) {
      if (state) throw new Error('This run service already serves an app; create one run service per app');
      const s: OpenState = {
        deps,
        repo: createRunsRepository(deps.db),
        lanes: new Map(),
        closing: false,
        running: new Set(),
        presence: await startServerPresence(deps.db),
        sweep: setInterval(() => {
          markInterrupted(s).catch((error: unknown) => s.deps.logger.warn({ err: error }, 'run sweep failed'));
        }, HEARTBEAT_MS),
      };
      s.sweep.unref();
      await markInterrupted(s);
      state = s;
    },

    serverId: () => state?.presence.id,

    async close() {
      const s = state;
      if (!s) return;
      s.closing = true;
      const stopping: Promise<unknown>[] = [];
      for (const l of s.lanes.values()) {
        for (const job of l.queue.splice(0)) {
          job.log.line('system', 'The server shut down before this run started.');
          stopping.push(end(s, job, { status: 'interrupted', exitCode: null, error: INTERRUPTED_QUEUED }));
        }
        const job = l.active;
        if (job && !job.stop) {
          job.stop = {
            status: 'interrupted',
            exitCode: null,
            error: 'The server shut down while this run was running; its process was terminated.',
          };
          job.log.line('system', 'The server is shutting down: terminating the command.');
          if (job.child) stopping.push(job.child.terminate(graceMs));
        }
      }
      await Promise.allSettled(stopping);
      await Promise.allSettled([...s.running]);
      clearInterval(s.sweep);
      await s.presence.stop().catch(() => undefined);
      state = null;
    },

    async start(workspace, trigger) {
      const s = opened();
      if (s.closing) throw new HttpError('conflict', 'The server is shutting down; start the run again in a moment');
      const run = await s.repo.insert(workspace.name, trigger, workspace.runCommand, s.presence.id);
      lane(s, workspace.name).queue.push({ run, workspace, log: newLog(s, run.id) });
      pump(s, workspace.name);
      return run;
    },

    get: (workspace, id) => opened().repo.get(workspace, id),

    list: (workspace, o = {}) => opened().repo.list(workspace, o.limit ?? 50, o.before),

    async log(workspace, id, after, limit) {
      const s = opened();
      const run = await s.repo.get(workspace, id);
      if (!run) return undefined;
      const found = await s.repo.chunks(id, after, limit);
      // About 1 MB of text per answer at most, so a chatty run's log arrives in pages a browser handles.
      let size = 0;
      const chunks = found.filter((c, i) => (size += c.text.length) <= PAGE_TEXT || i === 0);
      const more = chunks.length < found.length || found.length === limit;
      return { runId: id, status: run.status, chunks, last: chunks.at(-1)?.seq ?? after, more };
    },

    async cancel(workspace, id, by) {
      const s = opened();
      const run = await s.repo.get(workspace, id);
      if (!run) throw new HttpError('not_found', `No run ${id} in workspace ${workspace}`);
      if (!isActiveRun(run.status)) throw new HttpError('conflict', `Run ${id} has already ended (${run.status})`);
      const l = lane(s, workspace);
      const ending: RunEnding = { status: 'cancelled', exitCode: null, error: `Cancelled by ${by.username}` };
      const queued = l.queue.findIndex((job) => job.run.id === id);
      if (queued >= 0) {
        const [job] = l.queue.splice(queued, 1);
        job!.log.line('system', `Cancelled by ${by.username} before it started.`);
        await end(s, job!, ending);
      } else if (l.active?.run.id === id) {
        const job = l.active;
        if (!job.stop) {
          job.stop = ending;
          job.log.line('system', `Cancelled by ${by.username}: stopping the command (SIGTERM).`);
          // The answer waits a moment so it usually shows the final status; the run ends on its own either way.
          const stopped = job.child ? job.child.terminate(graceMs) : Promise.resolve();
          await Promise.race([stopped.then(() => finished(workspace, id)), delay(2000)]);
        }
      } else {
        throw new HttpError('conflict', `Run ${id} is not executed by this server, so it cannot be cancelled here`);
      }
      return (await s.repo.get(workspace, id)) ?? run;
    },

    finished,
  };
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}
