import { randomUUID } from 'node:crypto';
import type { Run, RunLogChunk, RunStatus } from '@dbt-workbench/plugin-sdk/contracts/runs.schema';
import type { Database } from '../db/database.ts';

/** Who or what started a run. */
export type RunTrigger =
  | { kind: 'manual'; user: { id: string; username: string } }
  | { kind: 'schedule'; schedule: { id: string; name: string } }
  | { kind: 'plugin'; plugin: string; trigger: string };

interface RunRow {
  id: string;
  workspace: string;
  schedule_id: string | null;
  trigger: string;
  triggered_by: string | null;
  command: string;
  status: string;
  exit_code: number | null;
  error: string | null;
  created_at: string;
  started_at: string | null;
  finished_at: string | null;
  username: string | null;
  schedule_name: string | null;
  plugin_trigger: string | null;
}

const SELECT_RUN = `SELECT r.*, u.username AS username, s.name AS schedule_name
  FROM runs r LEFT JOIN users u ON u.id = r.triggered_by LEFT JOIN schedules s ON s.id = r.schedule_id`;

function toRun(row: RunRow): Run {
  const trigger = row.trigger === 'manual' || row.trigger === 'plugin' ? row.trigger : 'schedule';
  return {
    id: row.id,
    workspace: row.workspace,
    status: row.status as RunStatus,
    trigger,
    ...(row.plugin_trigger
      ? { pluginTrigger: JSON.parse(row.plugin_trigger) as { plugin: string; name: string } }
      : {}),
    triggeredBy: row.triggered_by && row.username ? { id: row.triggered_by, username: row.username } : null,
    schedule: trigger === 'schedule' ? { id: row.schedule_id, name: row.schedule_name } : null,
    command: JSON.parse(row.command) as string[],
    exitCode: row.exit_code,
    error: row.error,
    createdAt: row.created_at,
    startedAt: row.started_at,
    finishedAt: row.finished_at,
  };
}

/** The final fields of a run that ended. */
export interface RunEnding {
  status: RunStatus;
  exitCode: number | null;
  error: string | null;
}

/** Runs and their log chunks in the database. Every query is scoped to a workspace where a user asks. */
export function createRunsRepository(db: Database) {
  return {
    /** `server`: the id of the server process that executes it (server/db/server-presence.ts). */
    async insert(workspace: string, trigger: RunTrigger, command: readonly string[], server: string): Promise<Run> {
      const id = randomUUID();
      await db.run(
        `INSERT INTO runs (id, workspace, schedule_id, trigger, triggered_by, plugin_trigger, command, status, created_at, server)
         VALUES (?, ?, ?, ?, ?, ?, ?, 'queued', ?, ?)`,
        [
          id,
          workspace,
          trigger.kind === 'schedule' ? trigger.schedule.id : null,
          trigger.kind,
          trigger.kind === 'manual' ? trigger.user.id : null,
          trigger.kind === 'plugin' ? JSON.stringify({ plugin: trigger.plugin, name: trigger.trigger }) : null,
          JSON.stringify(command),
          new Date().toISOString(),
          server,
        ],
      );
      return (await this.get(workspace, id))!;
    },

    async get(workspace: string, id: string): Promise<Run | undefined> {
      const row = await db.get<RunRow>(`${SELECT_RUN} WHERE r.workspace = ? AND r.id = ?`, [workspace, id]);
      return row && toRun(row);
    },

    /** Newest first; `before` is the id of the last run of the previous page. */
    async list(workspace: string, limit: number, before?: string): Promise<Run[]> {
      const cursor = before
        ? await db.get<{ created_at: string; id: string }>(
            'SELECT created_at, id FROM runs WHERE workspace = ? AND id = ?',
            [workspace, before],
          )
        : undefined;
      if (before && !cursor) return [];
      const rows = cursor
        ? await db.all<RunRow>(
            `${SELECT_RUN} WHERE r.workspace = ? AND (r.created_at < ? OR (r.created_at = ? AND r.id < ?))
             ORDER BY r.created_at DESC, r.id DESC LIMIT ?`,
            [workspace, cursor.created_at, cursor.created_at, cursor.id, limit],
          )
        : await db.all<RunRow>(`${SELECT_RUN} WHERE r.workspace = ? ORDER BY r.created_at DESC, r.id DESC LIMIT ?`, [
            workspace,
            limit,
          ]);
      return rows.map(toRun);
    },

    /** queued -> running; false when the run is no longer queued (cancelled meanwhile). */
    async markRunning(id: string): Promise<boolean> {
      const { changes } = await db.run(
        "UPDATE runs SET status = 'running', started_at = ? WHERE id = ? AND status = 'queued'",
        [new Date().toISOString(), id],
      );
      return changes === 1;
    },

    /** Records how a queued or running run ended; false when it had already ended. */
    async finish(id: string, ending: RunEnding): Promise<boolean> {
      const { changes } = await db.run(
        `UPDATE runs SET status = ?, exit_code = ?, error = ?, finished_at = ?
         WHERE id = ? AND status IN ('queued', 'running')`,
        [ending.status, ending.exitCode, ending.error, new Date().toISOString(), id],
      );
      return changes === 1;
    },

    /**
     * Runs left queued or running by a server that is gone: not `self`, and with no row in `servers` (it stopped,
     * or predates them) or silent since `goneBefore`. Runs of live servers, this one's or another replica's
     * on the same database, are not listed. Ids of every workspace.
     */
    async unfinished(self: string, goneBefore: string): Promise<{ id: string; status: RunStatus }[]> {
      return db.all(
        `SELECT r.id, r.status FROM runs r LEFT JOIN servers s ON s.id = r.server
         WHERE r.status IN ('queued', 'running') AND (r.server IS NULL OR r.server <> ?)
           AND (s.id IS NULL OR s.seen_at < ?) ORDER BY r.created_at`,
        [self, goneBefore],
      );
    },

    async appendChunks(runId: string, chunks: readonly RunLogChunk[]): Promise<void> {
      if (chunks.length === 0) return;
      await db.transaction(async (tx) => {
        for (const c of chunks) {
          await tx.run('INSERT INTO run_log_chunks (run_id, seq, stream, text, at) VALUES (?, ?, ?, ?, ?)', [
            runId,
            c.seq,
            c.stream,
            c.text,
            c.at,
          ]);
        }
      });
    },

    async lastSeq(runId: string): Promise<number> {
      const row = await db.get<{ seq: number | null }>('SELECT MAX(seq) AS seq FROM run_log_chunks WHERE run_id = ?', [
        runId,
      ]);
      return row?.seq ?? -1;
    },

    async chunks(runId: string, after: number, limit: number): Promise<RunLogChunk[]> {
      return db.all<RunLogChunk>(
        'SELECT seq, stream, text, at FROM run_log_chunks WHERE run_id = ? AND seq > ? ORDER BY seq LIMIT ?',
        [runId, after, limit],
      );
    },
  };
}

export type RunsRepository = ReturnType<typeof createRunsRepository>;
